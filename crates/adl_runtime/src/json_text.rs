//! JSON text as `serde_json` writes it compactly, byte for byte: for records
//! and event data, which are written on the hot path of `adl run`. A string is
//! copied in runs between the bytes that need escaping.

use serde_json::Value;

/// A JSON value as `serde_json` writes it compactly.
pub(crate) fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            if let Some(integer) = number.as_u64() {
                out.extend_from_slice(itoa::Buffer::new().format(integer).as_bytes());
            } else if let Some(integer) = number.as_i64() {
                out.extend_from_slice(itoa::Buffer::new().format(integer).as_bytes());
            } else {
                // Floats are rare in records; serde_json's own formatting
                // (shortest round trip) keeps the bytes identical.
                out.extend_from_slice(number.to_string().as_bytes());
            }
        }
        Value::String(text) => write_str(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (position, (key, item)) in members.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_str(out, key);
                out.push(b':');
                write_value(out, item);
            }
            out.push(b'}');
        }
    }
}

/// How `serde_json` escapes each byte: 0 for none, the letter of a short
/// escape (`\n`), or `u` for `\u00XX`. Bytes of multi-byte characters and
/// DEL are written as they are.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A JSON string: quoted, unescaped runs copied whole.
pub(crate) fn write_str(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let clean = clean_prefix(bytes);
    for (position, &byte) in bytes.iter().enumerate().skip(clean) {
        let escape = ESCAPE[byte as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..position]);
        if escape == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.push(b'\\');
            out.push(escape);
        }
        start = position + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// How many leading bytes, in whole 8-byte words, certainly need no escaping:
/// each word is tested at once for a control byte, a quote or a backslash.
/// (A word is sometimes flagged wrongly; it is then looked at byte by byte.)
fn clean_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let has_zero_byte = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut clean = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk).map(u64::from_ne_bytes) else {
            break;
        };
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        let quote = has_zero_byte(word ^ (ONES * u64::from(b'"')));
        let backslash = has_zero_byte(word ^ (ONES * u64::from(b'\\')));
        if control | quote | backslash != 0 {
            break;
        }
        clean += 8;
    }
    clean
}

#[cfg(test)]
mod tests {
    /// Strings of every length with a byte that needs escaping at every
    /// position are written as `serde_json` writes them.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let specials = [
            "\"",
            "\\",
            "\n",
            "\u{1}",
            "\u{1f}",
            " ",
            "\u{7f}",
            "é",
            "\u{1F600}",
        ];
        for length in 0..40 {
            for special in specials {
                for position in 0..=length {
                    let mut text: String = "abcdefghij".chars().cycle().take(length).collect();
                    text.insert_str(position, special);
                    let mut written = Vec::new();
                    super::write_str(&mut written, &text);
                    assert_eq!(
                        String::from_utf8(written).ok(),
                        serde_json::to_string(&text).ok(),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
