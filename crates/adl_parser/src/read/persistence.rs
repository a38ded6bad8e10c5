use super::Reader;
use crate::json::NodeId;
use crate::model::{
    DatabasePersistence, FilePersistence, Keyword, MemoryPersistence, Persistence, PersistenceType,
    defaults,
};

const MEMORY_KEYS: &[&str] = &["type", "max_events"];
const FILE_KEYS: &[&str] = &["type", "file_path", "rotation"];
const DATABASE_KEYS: &[&str] = &["type", "connection_string", "table_name"];
const ALL_KEYS: &[&str] = &[
    "type",
    "max_events",
    "file_path",
    "rotation",
    "connection_string",
    "table_name",
];

impl Reader<'_> {
    pub fn persistence(&mut self, node: NodeId) -> Option<Persistence> {
        let (mut fields, allow, kind) =
            self.tagged::<PersistenceType>(node, "`persistence`", "type", ALL_KEYS)?;
        let pointer = self.doc.pointer(node);
        let kinds: [(&str, &[&str]); 3] = [
            ("`memory` persistence", &MEMORY_KEYS[1..]),
            ("`file` persistence", &FILE_KEYS[1..]),
            ("`database` persistence", &DATABASE_KEYS[1..]),
        ];
        match kind {
            PersistenceType::Memory => {
                fields.what = "`memory` persistence";
                self.unknown_keys(&mut fields, MEMORY_KEYS, &[kinds[1], kinds[2]]);
                let max_events = fields
                    .get("max_events")
                    .and_then(|n| self.integer(n, 1, u64::MAX));
                if fields.get("max_events").is_none() {
                    self.record_default(node, &pointer, "max_events", defaults::MAX_EVENTS.into());
                }
                Some(Persistence::Memory(MemoryPersistence {
                    max_events,
                    allow,
                    node,
                }))
            }
            PersistenceType::File => {
                fields.what = "`file` persistence";
                self.unknown_keys(&mut fields, FILE_KEYS, &[kinds[0], kinds[2]]);
                let file_path = self
                    .required(&fields, "file_path")
                    .and_then(|n| self.string(n));
                let rotation = fields.get("rotation").and_then(|n| self.keyword(n));
                if fields.get("rotation").is_none() {
                    self.record_default(
                        node,
                        &pointer,
                        "rotation",
                        defaults::ROTATION.keyword().into(),
                    );
                }
                Some(Persistence::File(FilePersistence {
                    file_path: file_path?,
                    rotation,
                    allow,
                    node,
                }))
            }
            PersistenceType::Database => {
                fields.what = "`database` persistence";
                self.unknown_keys(&mut fields, DATABASE_KEYS, &[kinds[0], kinds[1]]);
                let connection_string = self
                    .required(&fields, "connection_string")
                    .and_then(|n| self.string(n));
                let table_name = self
                    .required(&fields, "table_name")
                    .and_then(|n| self.string(n));
                Some(Persistence::Database(DatabasePersistence {
                    connection_string: connection_string?,
                    table_name: table_name?,
                    allow,
                    node,
                }))
            }
        }
    }
}
