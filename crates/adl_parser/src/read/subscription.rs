use super::Reader;
use crate::json::{NodeId, NodeKind};
use crate::model::{
    DirectSubscription, FilteredSubscription, HandlerRef, PatternSubscription, Spanned,
    Subscription, SubscriptionType,
};

const DIRECT_KEYS: &[&str] = &["subscription_type", "event_name", "filter", "handler"];
const PATTERN_KEYS: &[&str] = &["subscription_type", "event_pattern", "filter", "handler"];
const FILTERED_KEYS: &[&str] = &["subscription_type", "event_name", "filter", "handler"];
const ALL_KEYS: &[&str] = &[
    "subscription_type",
    "event_name",
    "event_pattern",
    "filter",
    "handler",
];

impl Reader<'_> {
    pub fn subscription(&mut self, node: NodeId) -> Option<Subscription> {
        let (mut fields, allow, kind) =
            self.tagged::<SubscriptionType>(node, "a subscription", "subscription_type", ALL_KEYS)?;
        let (what, keys, name_key) = match kind {
            SubscriptionType::Direct => ("a direct subscription", DIRECT_KEYS, "event_name"),
            SubscriptionType::Pattern => ("a pattern subscription", PATTERN_KEYS, "event_pattern"),
            SubscriptionType::Filtered => ("a filtered subscription", FILTERED_KEYS, "event_name"),
        };
        fields.what = what;
        let elsewhere: &[(&str, &[&str])] = match kind {
            SubscriptionType::Pattern => {
                &[("`direct` and `filtered` subscriptions", &["event_name"])]
            }
            _ => &[("`pattern` subscriptions", &["event_pattern"])],
        };
        self.unknown_keys(&mut fields, keys, elsewhere);
        let name = self
            .required(&fields, name_key)
            .and_then(|n| self.string(n));
        let filter_node = if kind == SubscriptionType::Filtered {
            self.required(&fields, "filter")
        } else {
            fields.get("filter")
        };
        let filter = filter_node.and_then(|n| self.condition(n));
        let handler = self
            .required(&fields, "handler")
            .and_then(|n| self.handler_ref(n));
        let (name, handler) = (name?, handler?);
        Some(match kind {
            SubscriptionType::Direct => Subscription::Direct(DirectSubscription {
                event_name: name,
                filter,
                handler,
                allow,
                node,
            }),
            SubscriptionType::Pattern => Subscription::Pattern(PatternSubscription {
                event_pattern: name,
                filter,
                handler,
                allow,
                node,
            }),
            SubscriptionType::Filtered => Subscription::Filtered(FilteredSubscription {
                event_name: name,
                filter: filter?,
                handler,
                allow,
                node,
            }),
        })
    }

    /// An inline handler object, or the name of a listed handler.
    fn handler_ref(&mut self, node: NodeId) -> Option<HandlerRef> {
        match self.doc.kind(node) {
            NodeKind::String(name) => Some(HandlerRef::Named(Spanned::new(name.to_string(), node))),
            NodeKind::Object(_) => self.handler(node).map(|h| HandlerRef::Inline(Box::new(h))),
            _ => {
                self.wrong_type(node, "a handler object or the name of a handler");
                None
            }
        }
    }
}
