//! Event name → subscriptions, at a cost that does not grow with the number of
//! subscriptions: exact names through a hash index, every glob pattern in one
//! multi-pattern automaton (`regex::RegexSet`: a lazy DFA, no backtracking), and
//! a memo of recent names so that a name seen before costs one hash lookup.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use std::sync::{Arc, RwLock};

use regex::{RegexSet, RegexSetBuilder};

/// Distinct names remembered before the memo starts over.
const MEMO_CAPACITY: usize = 4096;

/// Matches event names against every subscription's name or pattern.
#[derive(Debug)]
pub struct NameMatcher {
    exact: HashMap<Box<str>, Vec<u32>, RandomState>,
    patterns: Option<RegexSet>,
    /// For each pattern of the set, the subscriptions that wrote it.
    pattern_subscriptions: Vec<Vec<u32>>,
    memo: RwLock<HashMap<Box<str>, Arc<[u32]>, RandomState>>,
}

/// A subscription's name test, by subscription index.
#[derive(Debug, Clone, Copy)]
pub enum NameTest<'a> {
    Exact(&'a str),
    Glob(&'a str),
}

impl NameMatcher {
    /// Builds the index. `tests[i]` is subscription `i`'s test.
    pub fn new<'a>(tests: impl IntoIterator<Item = NameTest<'a>>) -> Result<Self, String> {
        let mut exact: HashMap<Box<str>, Vec<u32>, RandomState> = HashMap::default();
        let mut globs: Vec<&str> = Vec::new();
        let mut pattern_subscriptions: Vec<Vec<u32>> = Vec::new();
        let mut glob_index: HashMap<&str, usize> = HashMap::new();
        for (index, test) in tests.into_iter().enumerate() {
            let index = index as u32;
            match test {
                NameTest::Exact(name) => exact.entry(name.into()).or_default().push(index),
                NameTest::Glob(pattern) => {
                    let slot = *glob_index.entry(pattern).or_insert_with(|| {
                        globs.push(pattern);
                        pattern_subscriptions.push(Vec::new());
                        globs.len() - 1
                    });
                    pattern_subscriptions[slot].push(index);
                }
            }
        }
        let patterns = if globs.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(globs.iter().map(|g| glob_to_regex(g)))
                    .size_limit(1 << 30)
                    .dfa_size_limit(64 << 20)
                    .build()
                    .map_err(|e| format!("event patterns could not be compiled: {e}"))?,
            )
        };
        Ok(Self {
            exact,
            patterns,
            pattern_subscriptions,
            memo: RwLock::new(HashMap::default()),
        })
    }

    /// The subscriptions whose name or pattern matches, in declaration order.
    pub fn matches(&self, name: &str) -> Arc<[u32]> {
        if let Some(hit) = self
            .memo
            .read()
            .ok()
            .and_then(|memo| memo.get(name).cloned())
        {
            return hit;
        }
        let found: Arc<[u32]> = self.compute(name).into();
        if let Ok(mut memo) = self.memo.write() {
            if memo.len() >= MEMO_CAPACITY {
                memo.clear();
            }
            memo.insert(name.into(), Arc::clone(&found));
        }
        found
    }

    fn compute(&self, name: &str) -> Vec<u32> {
        let mut found = self.exact.get(name).cloned().unwrap_or_default();
        if let Some(patterns) = &self.patterns {
            for slot in &patterns.matches(name) {
                found.extend_from_slice(&self.pattern_subscriptions[slot]);
            }
            found.sort_unstable();
        }
        found
    }
}

/// `*` → any run, `?` → one character, everything else literal; anchored.
fn glob_to_regex(glob: &str) -> String {
    let mut out = String::with_capacity(glob.len() + 8);
    out.push_str("(?s)^");
    let mut literal = [0u8; 4];
    for c in glob.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut literal))),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(tests: &[NameTest<'_>]) -> NameMatcher {
        NameMatcher::new(tests.iter().copied()).expect("builds")
    }

    #[test]
    fn exact_and_patterns_in_declaration_order() {
        let m = matcher(&[
            NameTest::Glob("tool_*"),
            NameTest::Exact("tool_invocation"),
            NameTest::Glob("*"),
            NameTest::Glob("tool_?nvocation"),
            NameTest::Glob("tool_*"),
        ]);
        assert_eq!(&*m.matches("tool_invocation"), &[0, 1, 2, 3, 4]);
        assert_eq!(&*m.matches("tool_invocation"), &[0, 1, 2, 3, 4], "memoized");
        assert_eq!(&*m.matches("state_change"), &[2]);
        assert_eq!(&*m.matches(""), &[2]);
    }

    #[test]
    fn regex_characters_are_literal() {
        let m = matcher(&[NameTest::Glob("a.b+(c)*"), NameTest::Glob("[x]?")]);
        assert_eq!(&*m.matches("a.b+(c)zz"), &[0]);
        assert!(m.matches("aXb+(c)").is_empty());
        assert_eq!(
            &*m.matches("[x]é"),
            &[1],
            "? is one character, not one byte"
        );
    }

    #[test]
    fn the_memo_starts_over_when_full() {
        let m = matcher(&[NameTest::Glob("n*")]);
        for i in 0..(MEMO_CAPACITY * 2) {
            assert_eq!(&*m.matches(&format!("n{i}")), &[0]);
        }
        assert!(m.memo.read().expect("lock").len() <= MEMO_CAPACITY);
    }
}
