/// A 1-based line and column, with the byte offset it was computed from.
///
/// Columns count Unicode scalar values, as editors and the JSON output contract do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// Maps byte offsets to lines and columns. Built once per source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        Self { line_starts }
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    ///
    /// An offset past the end or inside a multi-byte character is clamped to the
    /// nearest character boundary before it, so this never panics.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let mut offset = (offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts[line] as usize;
        let column = text[line_start..offset].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
            offset: offset as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        let colon = text.find(':').unwrap() as u32;
        let position = index.position(text, colon);
        assert_eq!((position.line, position.column), (2, 6));
    }

    #[test]
    fn offset_inside_a_character_is_clamped() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1).offset, 0);
        assert_eq!(index.position(text, 99).column, 2);
    }
}
