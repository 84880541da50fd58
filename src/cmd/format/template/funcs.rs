//! Template functions (Go's builtins plus Docker's `templates.basicFunctions`) and Go's
//! `fmt` `%v` printing of JSON values.
//!
//! Function errors are plain messages; `exec` wraps them with the position. Nothing here
//! panics on any argument: Go's runtime panics (negative counts, bad slices) become errors.

use std::cmp::Ordering;
use std::fmt::Write;

use serde_json::Value as Json;

use super::{Funcs, Val};
use crate::cmd::format::gojson;

const NAMES: &[&str] = &[
    "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne", "lt",
    "le", "gt", "ge", "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
];

/// Whether `name` is a function templates may call.
pub fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Go's `text/template` truth: false, 0, "", nil, and empty arrays and maps are false.
pub fn truth(v: &Val) -> bool {
    match v.json() {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => !s.is_empty(),
        Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Json::Array(a)) => !a.is_empty(),
        Some(Json::Object(m)) => !m.is_empty(),
    }
}

/// The Go type name of a value decoded into `interface{}`, for error messages.
pub fn go_type(j: &Json) -> &'static str {
    match j {
        Json::Null => "<nil>",
        Json::Bool(_) => "bool",
        Json::Number(n) if n.is_f64() => "float64",
        Json::Number(_) => "int",
        Json::String(_) => "string",
        Json::Array(_) => "[]interface {}",
        Json::Object(_) => "map[string]interface {}",
    }
}

/// Prints an action's result as text/template does: a missing key or a nil interface is
/// `<no value>`, anything else is `fmt.Print`'s `%v`.
pub fn print_top(v: &Val, out: &mut String) {
    match v.json() {
        None | Some(Json::Null) => out.push_str("<no value>"),
        Some(j) => write_v(j, out),
    }
}

/// `%v` of one value as a string.
pub fn sprint_v(j: &Json) -> String {
    let mut s = String::new();
    write_v(j, &mut s);
    s
}

/// Go's `%v`: `[a b]` for slices, `map[k:v]` with sorted keys for maps, `<nil>` for nil.
fn write_v(j: &Json, out: &mut String) {
    match j {
        Json::Null => out.push_str("<nil>"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&go_number(n)),
        Json::String(s) => out.push_str(s),
        Json::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(e, out);
            }
            out.push(']');
        }
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push_str("map[");
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(&m[k], out);
            }
            out.push(']');
        }
    }
}

/// Integers print in decimal; floats as Go's `%v` does: shortest `%g`, which switches to
/// exponent form when the exponent is below -4 or at least 6 (`4.26e+06`, `1e-05`).
pub fn go_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0".to_string();
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// `%v` of a function argument: a missing value is a nil interface there.
fn arg_v(v: &Val) -> String {
    v.json().map_or_else(|| "<nil>".to_string(), sprint_v)
}

fn want_args(name: &str, args: &[Val], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

fn want_str(v: &Val) -> Result<&str, String> {
    match v.json() {
        Some(Json::String(s)) => Ok(s),
        None | Some(Json::Null) => Err("invalid value; expected string".to_string()),
        Some(j) => Err(format!(
            "wrong type for value; expected string; got {}",
            go_type(j)
        )),
    }
}

fn want_int(v: &Val) -> Result<i64, String> {
    match v.json() {
        Some(Json::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or(0)),
        None | Some(Json::Null) => Err("invalid value; expected int".to_string()),
        Some(j) => Err(format!(
            "wrong type for value; expected int; got {}",
            go_type(j)
        )),
    }
}

fn want_strings(v: &Val) -> Result<Vec<&str>, String> {
    let bad = |j: &Json| {
        format!(
            "wrong type for value; expected []string; got {}",
            go_type(j)
        )
    };
    match v.json() {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(a)) => a
            .iter()
            .map(|e| e.as_str().ok_or_else(|| bad(&Json::Array(Vec::new()))))
            .collect(),
        Some(j) => Err(bad(j)),
    }
}

fn s(v: impl Into<String>) -> Val {
    Val::Data(Json::String(v.into()))
}

/// Calls function `name` with evaluated `args` (the piped value last).
pub fn call(name: &str, args: &[Val], funcs: Funcs) -> Result<Val, String> {
    if funcs == Funcs::Header {
        match name {
            "json" | "title" | "lower" | "upper" => {
                want_args(name, args, 1)?;
                return Ok(s(want_str(&args[0])?));
            }
            "truncate" => {
                want_args(name, args, 2)?;
                want_int(&args[1])?;
                return Ok(s(want_str(&args[0])?));
            }
            _ => {}
        }
    }
    let calling = |e: String| format!("error calling {name}: {e}");
    match name {
        "not" => {
            want_args(name, args, 1)?;
            Ok(Val::Data(Json::Bool(!truth(&args[0]))))
        }
        "len" => {
            want_args(name, args, 1)?;
            let n = match args[0].json() {
                Some(Json::String(s)) => s.len(),
                Some(Json::Array(a)) => a.len(),
                Some(Json::Object(m)) => m.len(),
                None | Some(Json::Null) => return Err(calling("len of nil pointer".into())),
                Some(j) => return Err(calling(format!("len of type {}", go_type(j)))),
            };
            Ok(Val::Data(Json::from(n)))
        }
        "index" => {
            if args.is_empty() {
                return Err(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                ));
            }
            let mut cur = args[0].clone();
            for ix in &args[1..] {
                cur = index(&cur, ix).map_err(calling)?;
            }
            Ok(cur)
        }
        "slice" => slice(args).map_err(calling),
        "print" => {
            let mut out = String::new();
            for (i, a) in args.iter().enumerate() {
                let is_str = |v: &Val| matches!(v.json(), Some(Json::String(_)));
                if i > 0 && !is_str(a) && !is_str(&args[i - 1]) {
                    out.push(' ');
                }
                out.push_str(&arg_v(a));
            }
            Ok(s(out))
        }
        "println" => {
            let parts: Vec<String> = args.iter().map(arg_v).collect();
            Ok(s(parts.join(" ") + "\n"))
        }
        "printf" => {
            if args.is_empty() {
                return Err(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                ));
            }
            Ok(s(sprintf(want_str(&args[0])?, &args[1..])))
        }
        "eq" | "ne" => {
            if args.len() < 2 {
                return Err(calling("missing argument for comparison".into()));
            }
            let mut any = false;
            for b in &args[1..] {
                if compare(&args[0], b, true).map_err(calling)? == Some(Ordering::Equal) {
                    any = true;
                    break;
                }
            }
            if name == "ne" {
                if args.len() != 2 {
                    return Err(format!(
                        "wrong number of args for ne: want 2 got {}",
                        args.len()
                    ));
                }
                any = !any;
            }
            Ok(Val::Data(Json::Bool(any)))
        }
        "lt" | "le" | "gt" | "ge" => {
            want_args(name, args, 2)?;
            let ord = compare(&args[0], &args[1], false)
                .map_err(calling)?
                .ok_or_else(|| calling("invalid type for comparison".into()))?;
            let r = match name {
                "lt" => ord == Ordering::Less,
                "le" => ord != Ordering::Greater,
                "gt" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            };
            Ok(Val::Data(Json::Bool(r)))
        }
        "json" => {
            want_args(name, args, 1)?;
            Ok(s(args[0].json().map_or_else(
                || "null".to_string(),
                |j| gojson::compact(j, false),
            )))
        }
        "split" => {
            want_args(name, args, 2)?;
            let (src, sep) = (want_str(&args[0])?, want_str(&args[1])?);
            let parts: Vec<Json> = if sep.is_empty() {
                src.chars().map(|c| Json::String(c.to_string())).collect()
            } else {
                src.split(sep)
                    .map(|p| Json::String(p.to_string()))
                    .collect()
            };
            Ok(Val::Data(Json::Array(parts)))
        }
        "join" => {
            want_args(name, args, 2)?;
            Ok(s(want_strings(&args[0])?.join(want_str(&args[1])?)))
        }
        "title" => {
            want_args(name, args, 1)?;
            Ok(s(title(want_str(&args[0])?)))
        }
        "lower" => {
            want_args(name, args, 1)?;
            Ok(s(want_str(&args[0])?.to_lowercase()))
        }
        "upper" => {
            want_args(name, args, 1)?;
            Ok(s(want_str(&args[0])?.to_uppercase()))
        }
        "pad" => {
            want_args(name, args, 3)?;
            let src = want_str(&args[0])?;
            let (pre, suf) = (want_int(&args[1])?, want_int(&args[2])?);
            if src.is_empty() {
                return Ok(s(""));
            }
            let (Ok(pre), Ok(suf)) = (usize::try_from(pre), usize::try_from(suf)) else {
                return Err(calling("strings: negative Repeat count".into()));
            };
            Ok(s(format!("{}{src}{}", " ".repeat(pre), " ".repeat(suf))))
        }
        "truncate" => {
            want_args(name, args, 2)?;
            let src = want_str(&args[0])?;
            let n = want_int(&args[1])?;
            let Ok(n) = usize::try_from(n) else {
                return Err(calling(format!(
                    "runtime error: slice bounds out of range [:{n}]"
                )));
            };
            if src.len() < n {
                return Ok(s(src));
            }
            // Go cuts bytes; cutting at a char boundary keeps the output valid UTF-8.
            let mut end = n;
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            Ok(s(&src[..end]))
        }
        _ => Err(format!("function {name:?} not defined")),
    }
}

fn index(item: &Val, ix: &Val) -> Result<Val, String> {
    let Some(j) = item.json() else {
        return Err("index of untyped nil".into());
    };
    match (j, ix.json()) {
        (Json::Array(a), Some(Json::Number(n))) => {
            let i = n.as_i64().ok_or("cannot index slice/array with nil")?;
            usize::try_from(i)
                .ok()
                .and_then(|u| a.get(u))
                .map(|e| Val::Data(e.clone()))
                .ok_or_else(|| format!("index out of range: {i}"))
        }
        (Json::String(st), Some(Json::Number(n))) => {
            let i = n.as_i64().unwrap_or(-1);
            usize::try_from(i)
                .ok()
                .and_then(|u| st.as_bytes().get(u))
                .map(|b| Val::Data(Json::from(*b)))
                .ok_or_else(|| format!("index out of range: {i}"))
        }
        (Json::Object(m), Some(Json::String(k))) => {
            Ok(m.get(k).cloned().map_or(Val::Missing, Val::Data))
        }
        (Json::Object(_), other) => Err(format!(
            "value has type {}; should be string",
            other.map_or("<nil>", go_type)
        )),
        (Json::Array(_) | Json::String(_), other) => Err(format!(
            "cannot index slice/array with type {}",
            other.map_or("<nil>", go_type)
        )),
        (Json::Null, _) => Err("index of untyped nil".into()),
        (other, _) => Err(format!("can't index item of type {}", go_type(other))),
    }
}

fn slice(args: &[Val]) -> Result<Val, String> {
    let Some(item) = args.first() else {
        return Err("wrong number of args for slice: want at least 1 got 0".into());
    };
    if args.len() > 3 {
        return Err(format!("too many slice indexes: {}", args.len() - 1));
    }
    let idx: Vec<usize> = args[1..]
        .iter()
        .map(|a| {
            want_int(a)
                .and_then(|i| usize::try_from(i).map_err(|_| format!("index out of range: {i}")))
        })
        .collect::<Result<_, _>>()?;
    let len = match item.json() {
        Some(Json::String(s)) => s.len(),
        Some(Json::Array(a)) => a.len(),
        Some(j) => return Err(format!("can't slice item of type {}", go_type(j))),
        None => return Err("slice of untyped nil".into()),
    };
    let lo = idx.first().copied().unwrap_or(0);
    let hi = idx.get(1).copied().unwrap_or(len);
    if lo > hi || hi > len {
        return Err(format!("invalid slice index: {lo} > {hi}"));
    }
    Ok(match item.json() {
        Some(Json::String(st)) => match st.get(lo..hi) {
            Some(sub) => s(sub),
            None => return Err("slice splits a UTF-8 character".into()),
        },
        Some(Json::Array(a)) => Val::Data(Json::Array(a[lo..hi].to_vec())),
        _ => Val::Missing,
    })
}

/// Go's `eq`/`lt` rules on basic kinds: `Some(order)`; `None` when the values are not
/// ordered (nil against non-nil under `eq`); errors for maps, slices and mixed kinds.
fn compare(a: &Val, b: &Val, equality: bool) -> Result<Option<Ordering>, String> {
    let bad = || "incompatible types for comparison".to_string();
    let a = a.json().unwrap_or(&Json::Null);
    let b = b.json().unwrap_or(&Json::Null);
    match (a, b) {
        (Json::Array(_) | Json::Object(_), _) | (_, Json::Array(_) | Json::Object(_)) => {
            Err("invalid type for comparison".into())
        }
        (Json::Null, Json::Null) if equality => Ok(Some(Ordering::Equal)),
        (Json::Null, _) | (_, Json::Null) if equality => Ok(None),
        (Json::Null, _) | (_, Json::Null) => Err("invalid type for comparison".into()),
        (Json::Bool(x), Json::Bool(y)) if equality => Ok(Some(x.cmp(y))),
        (Json::Bool(_), _) | (_, Json::Bool(_)) if !equality => {
            Err("invalid type for comparison".into())
        }
        (Json::String(x), Json::String(y)) => Ok(Some(x.cmp(y))),
        (Json::Number(x), Json::Number(y)) => {
            let int = |n: &serde_json::Number| {
                n.as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
            };
            match (int(x), int(y)) {
                (Some(i), Some(j)) => Ok(Some(i.cmp(&j))),
                _ => Ok(x
                    .as_f64()
                    .zip(y.as_f64())
                    .and_then(|(f, g)| f.partial_cmp(&g))),
            }
        }
        _ => Err(bad()),
    }
}

/// Go's deprecated `strings.Title`: upper-cases the first letter of each word.
fn title(src: &str) -> String {
    let sep = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            !(c.is_alphanumeric()) && c.is_whitespace()
        }
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(src.len());
    for c in src.chars() {
        if sep(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// A subset of Go's `fmt.Sprintf`: flags `-+ 0#`, width, precision and the verbs
/// `v s d q t x X f e g c %`, with Go's `%!verb(type=value)` text for mismatches.
fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ 0#".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let num = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            let mut n = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() {
                    n.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            n.parse::<usize>().ok()
        };
        let width = num(&mut chars);
        let prec = if chars.peek() == Some(&'.') {
            chars.next();
            Some(num(&mut chars).unwrap_or(0))
        } else {
            None
        };
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next_arg) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next_arg += 1;
        let j = arg.json().unwrap_or(&Json::Null);
        let body = match (verb, j) {
            ('v', _) => Some(arg_v(arg)),
            ('s', Json::String(st)) => Some(match prec {
                Some(p) => st.chars().take(p).collect(),
                None => st.clone(),
            }),
            ('s', Json::Array(_) | Json::Object(_)) => Some(sprint_v(j)),
            ('q', Json::String(st)) => Some(format!("{st:?}")),
            ('t', Json::Bool(b)) => Some(b.to_string()),
            ('d', Json::Number(n)) if n.as_i64().is_some() || n.as_u64().is_some() => {
                Some(n.to_string())
            }
            ('x' | 'X', Json::Number(n)) if n.as_u64().is_some() => {
                let v = n.as_u64().unwrap_or(0);
                Some(if verb == 'x' {
                    format!("{v:x}")
                } else {
                    format!("{v:X}")
                })
            }
            ('x' | 'X', Json::String(st)) => {
                let h: String = st.bytes().map(|b| format!("{b:02x}")).collect();
                Some(if verb == 'x' { h } else { h.to_uppercase() })
            }
            ('f' | 'e' | 'g', Json::Number(n)) => {
                let f = n.as_f64().unwrap_or(0.0);
                Some(match verb {
                    'f' => format!("{f:.*}", prec.unwrap_or(6)),
                    'e' => go_exp(f, prec.unwrap_or(6)),
                    _ => go_number(&serde_json::Number::from_f64(f).unwrap_or(0.into())),
                })
            }
            ('c', Json::Number(n)) => n
                .as_u64()
                .and_then(|u| u32::try_from(u).ok())
                .and_then(char::from_u32)
                .map(String::from),
            _ => None,
        };
        let Some(mut body) = body else {
            let _ = write!(out, "%!{verb}({}={})", go_type(j), arg_v(arg));
            continue;
        };
        if flags.contains('+') && matches!(j, Json::Number(_)) && !body.starts_with('-') {
            body.insert(0, '+');
        }
        let w = width.unwrap_or(0);
        let len = body.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                body.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && matches!(j, Json::Number(_)) {
                let sign = body.starts_with(['-', '+']);
                body.insert_str(usize::from(sign), &"0".repeat(pad));
            } else {
                body.insert_str(0, &" ".repeat(pad));
            }
        }
        out.push_str(&body);
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next_arg..]
            .iter()
            .map(|a| {
                let j = a.json().unwrap_or(&Json::Null);
                format!("{}={}", go_type(j), arg_v(a))
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// Go's `%e`: two-digit exponent with sign.
fn go_exp(f: f64, prec: usize) -> String {
    let s = format!("{f:.prec$e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let exp: i32 = e.parse().unwrap_or(0);
            let sign = if exp < 0 { '-' } else { '+' };
            format!("{m}e{sign}{:02}", exp.abs())
        }
        None => s,
    }
}
