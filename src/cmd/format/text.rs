//! Short text as docker/cli shapes it for tables: `formatter.Ellipsis` (truncation to a display
//! width) and Go's `strconv.Quote`.
//!
//! Pure functions on strings. Both need Unicode tables Go has and Rust's std lacks (East Asian
//! width; `unicode.IsPrint`); the tables here cover the ranges that matter in practice and are
//! noted where they are approximate.

/// docker/cli `formatter.Ellipsis`: `s` cut to `max` display columns, the last one an ellipsis
/// (`…`), when it is wider. East Asian wide and fullwidth characters take two columns.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if max == 1 {
        return s.chars().next().map(String::from).unwrap_or_default();
    }
    if s.is_ascii() {
        if s.len() <= max {
            return s.to_string();
        }
        return format!("{}…", &s[..max - 1]);
    }
    let total: usize = s.chars().map(char_width).sum();
    if total <= max {
        return s.to_string();
    }
    // Keep the longest prefix that fits in max - 1 columns.
    let mut width = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        width += char_width(c);
        if width > max - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == 0 {
        // Not even the first character fits: Go's loop finds no cut and returns s.
        return s.to_string();
    }
    format!("{}…", &s[..end])
}

/// Columns a character takes: 2 for East Asian Wide and Fullwidth (Unicode UAX #11; the main
/// blocks, as `golang.org/x/text/width` has them), 1 otherwise.
fn char_width(c: char) -> usize {
    const WIDE: &[(u32, u32)] = &[
        (0x1100, 0x115F),
        (0x231A, 0x231B),
        (0x2329, 0x232A),
        (0x23E9, 0x23EC),
        (0x25FD, 0x25FE),
        (0x2614, 0x2615),
        (0x2648, 0x2653),
        (0x26AA, 0x26AB),
        (0x26BD, 0x26BE),
        (0x26C4, 0x26C5),
        (0x2E80, 0x303E),
        (0x3041, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xA000, 0xA4CF),
        (0xA960, 0xA97F),
        (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF),
        (0xFE10, 0xFE19),
        (0xFE30, 0xFE6F),
        (0xFF00, 0xFF60),
        (0xFFE0, 0xFFE6),
        (0x16FE0, 0x18AFF),
        (0x1B000, 0x1B2FF),
        (0x1F300, 0x1F64F),
        (0x1F680, 0x1F6FF),
        (0x1F900, 0x1F9FF),
        (0x1FA70, 0x1FAFF),
        (0x20000, 0x2FFFD),
        (0x30000, 0x3FFFD),
    ];
    let u = c as u32;
    if WIDE.iter().any(|&(lo, hi)| (lo..=hi).contains(&u)) {
        2
    } else {
        1
    }
}

/// Go's `strconv.Quote`: `s` in double quotes, with `"` and `\` escaped, the C escapes for
/// `\a \b \f \n \r \t \v`, and `\xNN`, `\uNNNN` or `\UNNNNNNNN` for other characters Go does
/// not print as they are. Go's `IsPrint` is approximated: controls, separators other than
/// the ASCII space, the common format characters and private-use characters are escaped.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint` (see [`go_quote`]).
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    const NOT_PRINTED: &[(u32, u32)] = &[
        // Format characters (Cf).
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
        // Private use (Co) and noncharacters.
        (0xE000, 0xF8FF),
        (0xFFFE, 0xFFFF),
        (0xF0000, 0x10FFFF),
    ];
    !NOT_PRINTED.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsis_like_docker() {
        assert_eq!(ellipsis("sh", 20), "sh");
        assert_eq!(ellipsis(&"x".repeat(20), 20), "x".repeat(20));
        assert_eq!(
            ellipsis("sh -c 'while true; do sleep 1; done'", 20),
            "sh -c 'while true; …"
        );
        assert_eq!(ellipsis("abc", 1), "a");
        assert_eq!(ellipsis("abc", 0), "");
        assert_eq!(ellipsis("", 20), "");
        // docker/cli's own cases (formatter/displayutils_test.go).
        for (s, w, want) in [
            ("t🐳ststring", 0, ""),
            ("t🐳ststring", 1, "t"),
            ("t🐳ststring", 2, "t…"),
            ("t🐳ststring", 6, "t🐳st…"),
            ("t🐳ststring", 20, "t🐳ststring"),
            ("你好世界teststring", 0, ""),
            ("你好世界teststring", 1, "你"),
            ("你好世界teststring", 3, "你…"),
            ("你好世界teststring", 6, "你好…"),
            ("你好世界teststring", 20, "你好世界teststring"),
        ] {
            assert_eq!(ellipsis(s, w), want, "ellipsis({s:?}, {w})");
        }
        assert_eq!(ellipsis("éé", 2), "éé");
        assert_eq!(ellipsis("你好世界", 2), "你好世界", "Go finds no cut");
    }

    #[test]
    fn go_quote_like_strconv() {
        assert_eq!(go_quote("sh -c 'x'"), r#""sh -c 'x'""#);
        assert_eq!(go_quote(r#"say "hi"\"#), r#""say \"hi\"\\""#);
        assert_eq!(go_quote("a\tb\nc\u{7}"), r#""a\tb\nc\a""#);
        assert_eq!(go_quote("\u{1}\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(go_quote("é…你🐳"), "\"é…你🐳\"");
        assert_eq!(go_quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(go_quote("\u{f0000}"), r#""\U000f0000""#);
        assert_eq!(go_quote(""), r#""""#);
    }
}
