//! `adl.toml`: project settings, found by walking up from each checked file.
//!
//! ```toml
//! [rules]
//! dead-handler = "deny"     # code or name → "allow" | "warn" | "deny"
//! ADL206 = "allow"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use adl_checker::{Level, SeverityOverrides};
use serde::Deserialize;

pub const CONFIG_FILE: &str = "adl.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: BTreeMap<String, LevelName>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LevelName {
    Allow,
    Warn,
    Deny,
}

impl From<LevelName> for Level {
    fn from(name: LevelName) -> Self {
        match name {
            LevelName::Allow => Level::Allow,
            LevelName::Warn => Level::Warn,
            LevelName::Deny => Level::Deny,
        }
    }
}

/// The nearest `adl.toml` in `start` or one of its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

/// Reads the rule levels of a configuration file into `overrides`.
pub fn load(path: &Path, overrides: &mut SeverityOverrides) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| crate::input::io_reason(&e))?;
    let config: ConfigFile =
        toml::from_str(&text).map_err(|e| e.to_string().trim_end().to_owned())?;
    for (rule, level) in config.rules {
        overrides
            .set(&rule, level.into())
            .map_err(|e| format!("[rules]: {e}"))?;
    }
    Ok(())
}

/// The time `ADL_NOW` fixes (RFC 3339), if set: "now" for fire times shown
/// in help, and a run's start on a paused clock, so that output is
/// reproducible.
pub fn fixed_now() -> Result<Option<jiff::Timestamp>, String> {
    match std::env::var("ADL_NOW") {
        Ok(text) => text
            .parse()
            .map(Some)
            .map_err(|e| format!("ADL_NOW: `{text}` is not an RFC 3339 time: {e}")),
        Err(_) => Ok(None),
    }
}
