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

/// `` `a`, `b`, `c` `` for messages.
pub fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
