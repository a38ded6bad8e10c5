//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `word`, if it is close enough to be a likely typo:
/// a case-insensitive match, or an optimal-string-alignment distance of at most a
/// third of the word's length (at least 1).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        if candidate_lower == lower {
            return Some(candidate);
        }
        let distance = strsim::osa_distance(&lower, &candidate_lower);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The candidate `word` certainly means: [`suggest`]'s, when no other
/// candidate is as close (a fix is never a guess between two).
pub fn suggest_certain<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let best = suggest(word, candidates.clone())?;
    let lower = word.to_lowercase();
    let distance = |candidate: &str| strsim::osa_distance(&lower, &candidate.to_lowercase());
    let best_distance = distance(best);
    let ties = candidates
        .into_iter()
        .filter(|candidate| distance(candidate) == best_distance)
        .count();
    (ties == 1).then_some(best)
}

/// `replacement` written as the text at `original` is: a JSON string in
/// double quotes, a YAML string in single quotes, or plain (a YAML scalar),
/// so that a fix keeps the file's own style.
pub fn quoted_like(original: &str, replacement: &str) -> String {
    if original.starts_with('"') {
        serde_json::to_string(replacement).unwrap_or_else(|_| format!("\"{replacement}\""))
    } else if original.starts_with('\'') {
        format!("'{}'", replacement.replace('\'', "''"))
    } else {
        replacement.to_owned()
    }
}

/// `` `a`, `b`, `c` `` for messages.
///
/// At most 50 items (`MAX_LISTED`) are named, then how many more there are: a
/// note on an agent of thousands of handlers stays one readable line.
pub fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut items = items.into_iter();
    let list = items
        .by_ref()
        .take(MAX_LISTED)
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match items.count() {
        0 => list,
        more => format!("{list} and {more} more"),
    }
}

/// Items `quoted_list` names at most.
pub const MAX_LISTED: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certain_suggestion_has_no_rival() {
        assert_eq!(
            suggest_certain("filtr", ["filter", "handler"]),
            Some("filter")
        );
        // `equal` is as close to `equals` as to `not_equal`? No: one edit vs four.
        assert_eq!(
            suggest_certain("equal", ["equals", "not_equals"]),
            Some("equals")
        );
        assert_eq!(
            suggest_certain("ab", ["abc", "abd"]),
            None,
            "two at one edit"
        );
    }

    #[test]
    fn replacements_keep_the_quoting() {
        assert_eq!(quoted_like("\"filtr\"", "filter"), "\"filter\"");
        assert_eq!(quoted_like("'filtr'", "filter"), "'filter'");
        assert_eq!(quoted_like("filtr", "filter"), "filter");
    }

    #[test]
    fn long_lists_say_how_many_more() {
        let names: Vec<String> = (0..55).map(|n| format!("h{n}")).collect();
        let list = quoted_list(names.iter().map(String::as_str));
        assert!(list.starts_with("`h0`, `h1`,"), "{list}");
        assert!(list.ends_with("`h49` and 5 more"), "{list}");
        assert_eq!(quoted_list(["a", "b"]), "`a`, `b`");
    }

    #[test]
    fn one_letter_typo_is_suggested() {
        assert_eq!(
            suggest("filtr", ["event_name", "filter", "handler"]),
            Some("filter")
        );
    }

    #[test]
    fn case_difference_is_suggested() {
        assert_eq!(
            suggest("Broadcast", ["direct", "broadcast"]),
            Some("broadcast")
        );
    }

    #[test]
    fn upper_case_candidates_are_compared_without_case() {
        assert_eq!(suggest("MOM", ["SUN", "MON", "TUE"]), Some("MON"));
    }

    #[test]
    fn unrelated_word_is_not_suggested() {
        assert_eq!(suggest("xyz", ["direct", "broadcast", "conditional"]), None);
    }

    #[test]
    fn transposition_counts_as_one_edit() {
        assert_eq!(
            suggest("tirggers", ["triggers", "handlers"]),
            Some("triggers")
        );
    }
}
