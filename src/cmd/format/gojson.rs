//! JSON text exactly as Go's `encoding/json` writes it, for `{{json .}}` and `inspect` output.
//!
//! Differs from serde_json's writer in what Go escapes (`<`, `>`, `&` unless HTML escaping is
//! off, U+2028/U+2029 always) and in how floats are spelled. Object keys keep their order.

use serde_json::Value as Json;

/// Writes `v` compactly; `escape_html` is Go's `SetEscapeHTML`.
pub fn compact(v: &Json, escape_html: bool) -> String {
    let mut out = String::new();
    write(v, escape_html, None, 0, &mut out);
    out
}

/// Writes `v` like Go's `json.MarshalIndent(v, "", "    ")`, which escapes HTML characters.
pub fn indented(v: &Json) -> String {
    let mut out = String::new();
    write(v, true, Some("    "), 0, &mut out);
    out
}

fn newline(indent: Option<&str>, depth: usize, out: &mut String) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write(v: &Json, html: bool, indent: Option<&str>, depth: usize, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&number(n)),
        Json::String(s) => string(s, html, out),
        Json::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                write(e, html, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push(']');
        }
        Json::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                string(k, html, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(e, html, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push('}');
        }
    }
}

/// Go's float encoding: `%f`-style unless the exponent is < -6 or >= 21, then `1e+21`
/// with the exponent's leading zero removed (`1e-07` becomes `1e-7`).
pub fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust's shortest `{:e}` gives "1e21" / "1.5e-7"; Go writes "1e+21" / "1.5e-07" and
        // then strips the exponent's leading zero, which leaves "1.5e-7".
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        // Rust's Display of f64 is the shortest round-trip decimal without exponent, as Go's 'f' -1.
        format!("{f}")
    }
}

fn string(s: &str, html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_keeps_order_and_html() {
        let v = json!({"b": 1, "a": [true, null, "x<y&z"], "c": {}});
        assert_eq!(
            compact(&v, false),
            r#"{"b":1,"a":[true,null,"x<y&z"],"c":{}}"#
        );
        assert_eq!(
            compact(&v, true),
            r#"{"b":1,"a":[true,null,"x\u003cy\u0026z"],"c":{}}"#
        );
    }

    #[test]
    fn indented_like_marshal_indent() {
        let v = json!([{"Id": "abc", "Cmd": ["sh"], "Empty": [], "Env": {}}]);
        assert_eq!(
            indented(&v),
            "[\n    {\n        \"Id\": \"abc\",\n        \"Cmd\": [\n            \"sh\"\n        ],\n        \"Empty\": [],\n        \"Env\": {}\n    }\n]"
        );
    }

    #[test]
    fn numbers_and_escapes() {
        assert_eq!(compact(&json!(4260000), false), "4260000");
        assert_eq!(compact(&json!(-3), false), "-3");
        assert_eq!(compact(&json!(1.5), false), "1.5");
        assert_eq!(compact(&json!(1e21), false), "1e+21");
        assert_eq!(compact(&json!(1.5e-7), false), "1.5e-7");
        assert_eq!(compact(&json!(100000.0), false), "100000");
        assert_eq!(
            compact(&json!("a\u{1}\u{2028}\"\\"), false),
            r#""a\u0001\u2028\"\\""#
        );
    }
}
