//! Event name → subscriptions, at a cost bounded by the name's length and the
//! number of matches: never by the number of subscriptions, and never by
//! whether the name was seen before (names that carry ids or tenants do not
//! repeat).
//!
//! Patterns are split by shape, as globset does:
//! - exact names (and patterns without wildcards): one hash lookup;
//! - `prefix*` and `*suffix`: one hash lookup per distinct affix length;
//! - `prefix*suffix`: a prefix lookup, then a suffix lookup in that prefix's group;
//! - the rest (several `*` apart, or `?`): each is checked only when its
//!   longest literal run occurs in the name, found for all of them at once by
//!   one Aho-Corasick automaton built whole at load time (no cache to build
//!   states in or to thrash); the check is a linear glob match. Patterns with no
//!   literal at all (`?*`) are checked on every name.
//!
//! Only `*` (any run, `/` included) and `?` (one character) are special.

use std::borrow::Cow;
use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use foldhash::fast::RandomState;

/// Matches event names against every subscription's name or pattern.
#[derive(Debug)]
pub struct NameMatcher {
    exact: HashMap<Box<str>, Vec<u32>, RandomState>,
    /// `prefix*` and `prefix*suffix` by prefix: one lookup per distinct prefix
    /// length serves both shapes.
    prefixes: HashMap<Box<str>, Prefixed, RandomState>,
    /// The distinct byte lengths of `prefixes`' keys, ascending.
    prefix_lengths: Vec<usize>,
    suffixes: Affixes,
    /// The remaining patterns.
    others: Others,
}

/// Patterns of no simpler shape: candidates by a required literal, then checked.
#[derive(Debug, Default)]
struct Others {
    /// Distinct patterns (as chars, `*` runs collapsed) and their subscriptions.
    patterns: Vec<(Vec<char>, Vec<u32>)>,
    /// Each pattern's longest literal run; a match's pattern id is the index
    /// into `with_literal`.
    literals: Option<AhoCorasick>,
    with_literal: Vec<usize>,
    /// Patterns without any literal character: checked on every name.
    without_literal: Vec<usize>,
}

impl Others {
    fn new(patterns: Vec<(String, Vec<u32>)>) -> Result<Self, MatcherError> {
        let mut with_literal = Vec::new();
        let mut literals = Vec::new();
        let mut without_literal = Vec::new();
        for (index, (glob, _)) in patterns.iter().enumerate() {
            let longest = glob
                .split(['*', '?'])
                .max_by_key(|run| run.len())
                .unwrap_or_default();
            if longest.is_empty() {
                without_literal.push(index);
            } else {
                with_literal.push(index);
                literals.push(longest.to_owned());
            }
        }
        // A DFA scans a name fastest (about a tenth of the matcher's cost);
        // should one not fit, the crate picks a smaller automaton.
        let literals = if literals.is_empty() {
            None
        } else {
            let dfa = AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&literals);
            Some(
                dfa.or_else(|_| AhoCorasick::new(&literals))
                    .map_err(MatcherError::Automaton)?,
            )
        };
        Ok(Self {
            patterns: patterns
                .into_iter()
                .map(|(glob, subscriptions)| (glob.chars().collect(), subscriptions))
                .collect(),
            literals,
            with_literal,
            without_literal,
        })
    }

    fn matches(&self, name: &str, found: &mut Vec<u32>) {
        if self.patterns.is_empty() {
            return;
        }
        // A literal may occur more than once: each pattern is checked once.
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(literals) = &self.literals {
            for hit in literals.find_overlapping_iter(name) {
                candidates.push(self.with_literal[hit.pattern().as_usize()]);
            }
            candidates.sort_unstable();
            candidates.dedup();
        }
        // The caller sorts what is found: the order of checks does not matter.
        for &index in candidates.iter().chain(&self.without_literal) {
            let (glob, subscriptions) = &self.patterns[index];
            if glob_matches(glob, name) {
                found.extend_from_slice(subscriptions);
            }
        }
    }
}

/// Whether `name` matches `glob` (`*` any run, `?` one character). Greedy with
/// one resume point: linear in practice, `O(glob × name)` at worst, never
/// exponential. `n` is a byte offset into `name`, always on a char boundary.
fn glob_matches(glob: &[char], name: &str) -> bool {
    let (mut g, mut n) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while let Some(c) = name[n..].chars().next() {
        match glob.get(g) {
            Some('*') => {
                resume = Some((g, n));
                g += 1;
            }
            Some(&expected) if expected == '?' || expected == c => {
                g += 1;
                n += c.len_utf8();
            }
            _ => match resume {
                Some((star, at)) => {
                    // Let the star take one more character, and retry after it.
                    let step = name[at..].chars().next().map_or(1, char::len_utf8);
                    g = star + 1;
                    n = at + step;
                    resume = Some((star, n));
                }
                None => return false,
            },
        }
    }
    glob[g..].iter().all(|&c| c == '*')
}

/// What a literal prefix leads to.
#[derive(Debug, Default)]
struct Prefixed {
    /// `prefix*`.
    subscriptions: Vec<u32>,
    /// `prefix*suffix`: the suffixes written after this prefix.
    suffixes: Affixes,
}

/// Literal suffixes → subscriptions, with their distinct lengths.
#[derive(Debug, Default)]
struct Affixes {
    by_text: HashMap<Box<str>, Vec<u32>, RandomState>,
    /// Distinct byte lengths of the keys, ascending.
    lengths: Vec<usize>,
}

impl Affixes {
    fn insert(&mut self, text: &str, subscription: u32) {
        self.by_text
            .entry(text.into())
            .or_default()
            .push(subscription);
        if let Err(at) = self.lengths.binary_search(&text.len()) {
            self.lengths.insert(at, text.len());
        }
    }

    /// Every subscription whose suffix `name` ends with.
    fn suffixes_of(&self, name: &str, found: &mut Vec<u32>) {
        for &length in &self.lengths {
            if length > name.len() {
                break;
            }
            if let Some(subscriptions) = name
                .get(name.len() - length..)
                .and_then(|suffix| self.by_text.get(suffix))
            {
                found.extend_from_slice(subscriptions);
            }
        }
    }
}

/// A subscription's name test, by subscription index.
#[derive(Debug, Clone, Copy)]
pub enum NameTest<'a> {
    Exact(&'a str),
    Glob(&'a str),
}

/// The shape of a glob, consecutive `*` taken as one.
enum Shape<'a> {
    Exact(Cow<'a, str>),
    Prefix(&'a str),
    Suffix(&'a str),
    Infix(&'a str, &'a str),
    Other(String),
}

fn shape(glob: &str) -> Shape<'_> {
    if glob.contains('?') {
        return Shape::Other(collapse_stars(glob));
    }
    match glob.split_once('*') {
        None => Shape::Exact(Cow::Borrowed(glob)),
        Some((prefix, rest)) => {
            let suffix = rest.trim_start_matches('*');
            match (suffix.contains('*'), prefix.is_empty(), suffix.is_empty()) {
                (true, ..) => Shape::Other(collapse_stars(glob)),
                (false, _, true) => Shape::Prefix(prefix),
                (false, true, false) => Shape::Suffix(suffix),
                (false, false, false) => Shape::Infix(prefix, suffix),
            }
        }
    }
}

/// `a**b` → `a*b`: the same matches, a smaller automaton.
fn collapse_stars(glob: &str) -> String {
    let mut out = String::with_capacity(glob.len());
    for c in glob.chars() {
        if !(c == '*' && out.ends_with('*')) {
            out.push(c);
        }
    }
    out
}

/// Why a [`NameMatcher`] could not be built.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MatcherError {
    #[error("too many subscriptions (at most {})", u32::MAX)]
    TooManySubscriptions,
    #[error("event patterns could not be compiled: {0}")]
    Automaton(#[source] aho_corasick::BuildError),
}

impl NameMatcher {
    /// Builds the index. `tests[i]` is subscription `i`'s test.
    pub fn new<'a>(tests: impl IntoIterator<Item = NameTest<'a>>) -> Result<Self, MatcherError> {
        let mut matcher = Self {
            exact: HashMap::default(),
            prefixes: HashMap::default(),
            prefix_lengths: Vec::new(),
            suffixes: Affixes::default(),
            others: Others::default(),
        };
        // Distinct remaining patterns, in first-seen order, with their subscriptions.
        let mut others: Vec<(String, Vec<u32>)> = Vec::new();
        let mut other_index: HashMap<String, usize> = HashMap::new();
        for (index, test) in tests.into_iter().enumerate() {
            let index = u32::try_from(index).map_err(|_| MatcherError::TooManySubscriptions)?;
            let shaped = match test {
                NameTest::Exact(name) => Shape::Exact(Cow::Borrowed(name)),
                NameTest::Glob(glob) => shape(glob),
            };
            match shaped {
                Shape::Exact(name) => matcher
                    .exact
                    .entry(name.into_owned().into_boxed_str())
                    .or_default()
                    .push(index),
                Shape::Prefix(prefix) => matcher.prefixed(prefix).subscriptions.push(index),
                Shape::Suffix(suffix) => matcher.suffixes.insert(suffix, index),
                Shape::Infix(prefix, suffix) => {
                    matcher.prefixed(prefix).suffixes.insert(suffix, index);
                }
                Shape::Other(glob) => {
                    let slot = *other_index.entry(glob.clone()).or_insert_with(|| {
                        others.push((glob, Vec::new()));
                        others.len() - 1
                    });
                    others[slot].1.push(index);
                }
            }
        }
        matcher.others = Others::new(others)?;
        Ok(matcher)
    }

    /// About how many bytes of heap the index holds (keys, subscription lists,
    /// table slots, the automaton): for the benchmarks' memory figure.
    pub fn heap_bytes(&self) -> usize {
        fn table<V>(map: &HashMap<Box<str>, V, RandomState>, value: impl Fn(&V) -> usize) -> usize {
            map.capacity() * (std::mem::size_of::<(Box<str>, V)>() + 1)
                + map.iter().map(|(k, v)| k.len() + value(v)).sum::<usize>()
        }
        let list = |v: &Vec<u32>| v.capacity() * 4;
        let affixes = |a: &Affixes| table(&a.by_text, list) + a.lengths.capacity() * 8;
        table(&self.exact, list)
            + table(&self.prefixes, |p| {
                list(&p.subscriptions) + affixes(&p.suffixes)
            })
            + self.prefix_lengths.capacity() * 8
            + affixes(&self.suffixes)
            + self
                .others
                .patterns
                .iter()
                .map(|(glob, subscriptions)| glob.capacity() * 4 + list(subscriptions))
                .sum::<usize>()
            + self
                .others
                .literals
                .as_ref()
                .map_or(0, AhoCorasick::memory_usage)
    }

    /// The entry of a literal prefix, made on first use.
    fn prefixed(&mut self, prefix: &str) -> &mut Prefixed {
        if let Err(at) = self.prefix_lengths.binary_search(&prefix.len()) {
            self.prefix_lengths.insert(at, prefix.len());
        }
        self.prefixes.entry(prefix.into()).or_default()
    }

    /// The subscriptions whose name or pattern matches, in declaration order.
    pub fn matches(&self, name: &str) -> Cow<'_, [u32]> {
        let exact = self.exact.get(name).map_or(&[][..], Vec::as_slice);
        let mut found = Vec::new();
        for &length in &self.prefix_lengths {
            if length > name.len() {
                break;
            }
            let Some(prefixed) = name.get(..length).and_then(|p| self.prefixes.get(p)) else {
                continue;
            };
            found.extend_from_slice(&prefixed.subscriptions);
            // A suffix comes after its prefix: they may not overlap.
            if let Some(rest) = name.get(length..) {
                prefixed.suffixes.suffixes_of(rest, &mut found);
            }
        }
        self.suffixes.suffixes_of(name, &mut found);
        self.others.matches(name, &mut found);
        if found.is_empty() {
            return Cow::Borrowed(exact);
        }
        found.extend_from_slice(exact);
        found.sort_unstable();
        Cow::Owned(found)
    }
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
            NameTest::Glob("*_invocation"),
            NameTest::Glob("to*on"),
            NameTest::Glob("t*l*n"),
        ]);
        assert_eq!(&*m.matches("tool_invocation"), &[0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(&*m.matches("state_change"), &[2]);
        assert_eq!(&*m.matches(""), &[2]);
    }

    #[test]
    fn prefix_and_suffix_of_an_infix_do_not_overlap() {
        let m = matcher(&[NameTest::Glob("ab*ba"), NameTest::Glob("a*a")]);
        assert_eq!(&*m.matches("aba"), &[1]);
        assert_eq!(&*m.matches("abba"), &[0, 1]);
        assert_eq!(&*m.matches("a"), &[] as &[u32]);
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
    fn patterns_of_other_shapes_are_found_by_their_literals() {
        let globs: Vec<String> = (0..400).map(|i| format!("*{i}?x*{}?y*", i * 7)).collect();
        let mut tests: Vec<NameTest<'_>> = globs.iter().map(|g| NameTest::Glob(g)).collect();
        tests.push(NameTest::Glob("?*"));
        tests.push(NameTest::Glob("??"));
        let m = NameMatcher::new(tests).expect("builds");
        assert_eq!(&*m.matches("_3_x__21_y_"), &[3, 400]);
        assert_eq!(&*m.matches("ab"), &[400, 401]);
        assert_eq!(&*m.matches(""), &[] as &[u32]);
    }

    #[test]
    fn the_glob_check_resumes_after_a_star() {
        let check = |glob: &str, name: &str| glob_matches(&glob.chars().collect::<Vec<_>>(), name);
        assert!(check("a*b*c", "aXbYbZc"));
        assert!(check("*ab*", "aab"));
        assert!(!check("a*b?", "ab"));
        assert!(check("é?*", "éxyz"));
        assert!(!check("a*a*a*a*a*b", &"a".repeat(200)));
    }
}
