//! Lexer and parser for the Go `text/template` language, producing the tree `exec` walks.
//!
//! Covers what `--format` strings use: text, actions, pipelines, variables, `if`/`else if`/
//! `range`/`with`/`break`/`continue`, comments and trim markers. `define`, `template` and
//! `block` are rejected with an error. Never panics: every malformed input is an `Err`.

use serde_json::Value as Json;

/// A parse error, already shaped like Go's `template: :LINE: message`.
pub type ParseResult<T> = Result<T, String>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Open,
    Close,
    Dot,
    Field(Vec<String>),
    Var(String, Vec<String>),
    Ident(String),
    Str(String),
    Num(Json),
    Bool(bool),
    Nil,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    /// Whether whitespace came right before this token (field chains need adjacency).
    spaced: bool,
}

/// One node of a parsed template.
#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    With(Branch),
    Range(Branch),
    Break,
    Continue,
}

/// The common shape of `if`, `with` and `range`.
#[derive(Debug, Clone)]
pub struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Vec<Node>,
}

/// A pipeline: optional variable declarations and `|`-separated commands.
#[derive(Debug, Clone)]
pub struct Pipe {
    pub line: usize,
    pub decl: Vec<String>,
    /// `$x = ...` rather than `$x := ...`.
    pub assign: bool,
    pub cmds: Vec<Cmd>,
}

/// One command of a pipeline: a function name followed by arguments, or a single operand.
#[derive(Debug, Clone)]
pub struct Cmd {
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Debug, Clone)]
pub enum Arg {
    Dot,
    Field(Vec<String>),
    Var(String, Vec<String>),
    Lit(Json),
    Nil,
    Func(String),
    /// A parenthesized pipeline, possibly followed by `.Field.Chain`.
    Pipe(Box<Pipe>, Vec<String>),
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Dot => write!(f, "."),
            Arg::Field(fs) => write!(f, ".{}", fs.join(".")),
            Arg::Var(v, fs) => {
                write!(f, "{v}")?;
                fs.iter().try_for_each(|x| write!(f, ".{x}"))
            }
            Arg::Lit(Json::String(s)) => write!(f, "{s:?}"),
            Arg::Lit(v) => write!(f, "{v}"),
            Arg::Nil => write!(f, "nil"),
            Arg::Func(n) => write!(f, "{n}"),
            Arg::Pipe(_, fs) => {
                write!(f, "(...)")?;
                fs.iter().try_for_each(|x| write!(f, ".{x}"))
            }
        }
    }
}

fn err<T>(line: usize, msg: impl std::fmt::Display) -> ParseResult<T> {
    Err(format!("template: :{line}: {msg}"))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_ident(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    toks: Vec<Token>,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn push(&mut self, tok: Tok, spaced: bool) {
        self.toks.push(Token {
            tok,
            line: self.line,
            spaced,
        });
    }

    fn advance(&mut self, n: usize) {
        let end = (self.pos + n).min(self.src.len());
        self.line += self.src[self.pos..end].matches('\n').count();
        self.pos = end;
    }

    fn run(mut self) -> ParseResult<Vec<Token>> {
        let mut trim_next = false;
        while self.pos < self.src.len() {
            let rest = self.rest();
            let idx = rest.find("{{").unwrap_or(rest.len());
            let mut text = &rest[..idx];
            if trim_next {
                text = text.trim_start_matches(is_space);
            }
            let after = &rest[idx..];
            let left_trim =
                after.len() > 3 && after[2..].starts_with('-') && after[3..].starts_with(is_space);
            if left_trim {
                text = text.trim_end_matches(is_space);
            }
            if !text.is_empty() {
                self.push(Tok::Text(text.to_string()), false);
            }
            self.advance(idx);
            if self.pos >= self.src.len() {
                break;
            }
            self.advance(if left_trim { 3 } else { 2 });
            trim_next = self.action(left_trim)?;
        }
        Ok(self.toks)
    }

    /// Lexes one action after its `{{`; returns whether it ended with a right trim marker.
    fn action(&mut self, left_trim: bool) -> ParseResult<bool> {
        let start_line = self.line;
        // Go only sees a comment right after `{{` or after the one space of a `{{- ` marker.
        let lead = if left_trim {
            self.rest().chars().next().map_or(0, char::len_utf8)
        } else {
            0
        };
        if self.rest()[lead..].starts_with("/*") {
            let body = &self.rest()[lead..];
            let Some(end) = body.find("*/") else {
                return err(start_line, "unclosed comment");
            };
            self.advance(lead + end + 2);
            return self.close_comment(start_line);
        }
        self.push(Tok::Open, false);
        let mut spaced = false;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return err(start_line, "unclosed action");
            };
            if is_space(c) {
                let n = rest.len() - rest.trim_start_matches(is_space).len();
                if rest[n..].starts_with("-}}") {
                    self.advance(n + 3);
                    self.push(Tok::Close, true);
                    return Ok(true);
                }
                self.advance(n);
                spaced = true;
                continue;
            }
            if rest.starts_with("}}") {
                self.advance(2);
                self.push(Tok::Close, spaced);
                return Ok(false);
            }
            let (tok, len) = self.token(rest)?;
            self.push(tok, spaced);
            self.advance(len);
            spaced = false;
        }
    }

    fn close_comment(&mut self, line: usize) -> ParseResult<bool> {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches(is_space).len();
        if n > 0 && rest[n..].starts_with("-}}") {
            self.advance(n + 3);
            return Ok(true);
        }
        if rest.starts_with("}}") {
            self.advance(2);
            return Ok(false);
        }
        err(line, "comment ends before closing delimiter")
    }

    /// Lexes one token at the start of `rest`, returning it and its length in bytes.
    fn token(&self, rest: &str) -> ParseResult<(Tok, usize)> {
        let line = self.line;
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or(' ');
        let next = chars.next();
        Ok(match c {
            '|' => (Tok::Pipe, 1),
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Assign, 1),
            ':' if next == Some('=') => (Tok::Declare, 2),
            '.' if next.is_some_and(|n| n.is_ascii_digit()) => number(rest, line)?,
            '.' if next.is_some_and(is_ident) => {
                let (fields, len) = field_chain(rest);
                (Tok::Field(fields), len)
            }
            '.' => (Tok::Dot, 1),
            '$' => {
                let name_len = 1 + rest[1..]
                    .find(|c: char| !is_ident(c))
                    .unwrap_or(rest.len() - 1);
                let name = rest[..name_len].to_string();
                let (fields, flen) = field_chain(&rest[name_len..]);
                (Tok::Var(name, fields), name_len + flen)
            }
            '"' => quoted(rest, line)?,
            '`' => match rest[1..].find('`') {
                Some(end) => (Tok::Str(rest[1..1 + end].to_string()), end + 2),
                None => return err(line, "unterminated raw quoted string"),
            },
            '\'' => char_constant(rest, line)?,
            '0'..='9' | '+' | '-' => number(rest, line)?,
            c if is_ident(c) => {
                let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
                let word = &rest[..len];
                let tok = match word {
                    "true" => Tok::Bool(true),
                    "false" => Tok::Bool(false),
                    "nil" => Tok::Nil,
                    w => Tok::Ident(w.to_string()),
                };
                (tok, len)
            }
            c => return err(line, format!("unexpected {c:?} in command")),
        })
    }
}

/// Lexes `.A.B.C` (as many `.Ident` as are adjacent).
fn field_chain(s: &str) -> (Vec<String>, usize) {
    let mut fields = Vec::new();
    let mut pos = 0;
    while s[pos..].starts_with('.') {
        let body = &s[pos + 1..];
        let len = body.find(|c: char| !is_ident(c)).unwrap_or(body.len());
        if len == 0 || body.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        fields.push(body[..len].to_string());
        pos += 1 + len;
    }
    (fields, pos)
}

fn number(s: &str, line: usize) -> ParseResult<(Tok, usize)> {
    let bytes = s.as_bytes();
    let mut len = 0;
    while len < bytes.len() {
        let b = bytes[len];
        let prev = if len > 0 { bytes[len - 1] } else { b' ' };
        let sign_ok =
            (b == b'+' || b == b'-') && (len == 0 || matches!(prev, b'e' | b'E' | b'p' | b'P'));
        if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || sign_ok) {
            break;
        }
        len += 1;
    }
    let text = &s[..len];
    match parse_number(text) {
        Some(v) => Ok((Tok::Num(v), len)),
        None => err(line, format!("bad number syntax: {text:?}")),
    }
}

/// Parses a Go numeric constant: decimal/hex/octal/binary integers and decimal floats.
fn parse_number(text: &str) -> Option<Json> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, digits) = match clean.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let prefixed = |p: &str, q: &str| digits.strip_prefix(p).or_else(|| digits.strip_prefix(q));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let int = if let Some(h) = prefixed("0x", "0X") {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = prefixed("0o", "0O") {
        u64::from_str_radix(o, 8).ok()
    } else if let Some(b) = prefixed("0b", "0B") {
        u64::from_str_radix(b, 2).ok()
    } else if digits.len() > 1 && digits.starts_with('0') && all_digits(digits) {
        u64::from_str_radix(&digits[1..], 8).ok()
    } else if all_digits(digits) {
        digits.parse::<u64>().ok()
    } else {
        None
    };
    if let Some(u) = int {
        return if neg {
            i64::try_from(u).ok().map(|i| Json::from(-i))
        } else {
            Some(Json::from(u))
        };
    }
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let f: f64 = digits.parse().ok()?;
    serde_json::Number::from_f64(if neg { -f } else { f }).map(Json::Number)
}

/// Lexes a Go interpreted string literal.
fn quoted(s: &str, line: usize) -> ParseResult<(Tok, usize)> {
    let mut out = String::new();
    let mut it = s.char_indices().skip(1);
    while let Some((i, c)) = it.next() {
        match c {
            '"' => return Ok((Tok::Str(out), i + 1)),
            '\n' => break,
            '\\' => {
                let Some((_, e)) = it.next() else { break };
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '\\' | '"' | '\'' => out.push(e),
                    'x' | 'u' | 'U' | '0'..='7' => {
                        let (n, radix, first) = match e {
                            'x' => (2, 16, None),
                            'u' => (4, 16, None),
                            'U' => (8, 16, None),
                            d => (2, 8, Some(d)),
                        };
                        let mut digits: String = first.into_iter().collect();
                        for _ in 0..n {
                            match it.next() {
                                Some((_, h)) => digits.push(h),
                                None => return err(line, "unterminated quoted string"),
                            }
                        }
                        match u32::from_str_radix(&digits, radix)
                            .ok()
                            .and_then(char::from_u32)
                        {
                            Some(ch) => out.push(ch),
                            None => return err(line, "invalid syntax in quoted string"),
                        }
                    }
                    _ => return err(line, "invalid syntax in quoted string"),
                }
            }
            c => out.push(c),
        }
    }
    err(line, "unterminated quoted string")
}

fn char_constant(s: &str, line: usize) -> ParseResult<(Tok, usize)> {
    let Some(end) = s[1..].find('\'').map(|e| e + 1) else {
        return err(line, "unterminated character constant");
    };
    let body = &s[1..end];
    let c = if body.starts_with('\\') {
        match quoted(&format!("\"{body}\""), line)?.0 {
            Tok::Str(st) if st.chars().count() == 1 => st.chars().next(),
            _ => None,
        }
    } else if body.chars().count() == 1 {
        body.chars().next()
    } else {
        None
    };
    match c {
        Some(c) => Ok((Tok::Num(Json::from(c as u32)), end + 1)),
        None => err(
            line,
            format!("malformed character constant: {}", &s[..=end]),
        ),
    }
}

/// What ended a list of nodes.
enum Stop {
    Eof,
    End,
    Else,
}

struct Parser<'f> {
    toks: Vec<Token>,
    pos: usize,
    range_depth: usize,
    funcs: &'f dyn Fn(&str) -> bool,
}

/// Parses `src` into a node list; `is_func` says which function names exist.
pub fn parse(src: &str, is_func: &dyn Fn(&str) -> bool) -> ParseResult<Vec<Node>> {
    let toks = Lexer {
        src,
        pos: 0,
        line: 1,
        toks: Vec::new(),
    }
    .run()?;
    let mut p = Parser {
        toks,
        pos: 0,
        range_depth: 0,
        funcs: is_func,
    };
    let (list, end) = p.list()?;
    match end {
        Stop::Eof => Ok(list),
        Stop::End => err(p.line(), "unexpected {{end}}"),
        Stop::Else => err(p.line(), "unexpected {{else}}"),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn line(&self) -> usize {
        let i = self.pos.min(self.toks.len().saturating_sub(1));
        self.toks.get(i).map_or(1, |t| t.line)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.tok.clone());
        self.pos += 1;
        t
    }

    fn expect_close(&mut self, what: &str) -> ParseResult<()> {
        let line = self.line();
        match self.next() {
            Some(Tok::Close) => Ok(()),
            Some(t) => err(line, format!("unexpected {} in {what}", describe(&t))),
            None => err(line, "unclosed action"),
        }
    }

    fn list(&mut self) -> ParseResult<(Vec<Node>, Stop)> {
        let mut nodes = Vec::new();
        loop {
            let line = self.line();
            match self.next() {
                None => return Ok((nodes, Stop::Eof)),
                Some(Tok::Text(t)) => nodes.push(Node::Text(t)),
                Some(Tok::Open) => {
                    let kw = match self.peek() {
                        Some(Tok::Ident(kw)) => kw.clone(),
                        _ => String::new(),
                    };
                    match kw.as_str() {
                        "end" => {
                            self.pos += 1;
                            self.expect_close("end")?;
                            return Ok((nodes, Stop::End));
                        }
                        "else" => {
                            self.pos += 1;
                            return Ok((nodes, Stop::Else));
                        }
                        "if" | "with" | "range" => {
                            self.pos += 1;
                            nodes.push(self.control(&kw)?);
                        }
                        "break" | "continue" => {
                            self.pos += 1;
                            if self.range_depth == 0 {
                                return err(line, format!("{{{{{kw}}}}} outside {{{{range}}}}"));
                            }
                            self.expect_close(&kw)?;
                            nodes.push(if kw == "break" {
                                Node::Break
                            } else {
                                Node::Continue
                            });
                        }
                        "define" | "template" | "block" => {
                            return err(line, format!("{{{{{kw}}}}} is not supported"));
                        }
                        _ => {
                            let pipe = self.pipeline("command")?;
                            self.expect_close("command")?;
                            nodes.push(Node::Action(pipe));
                        }
                    }
                }
                Some(t) => return err(line, format!("unexpected {}", describe(&t))),
            }
        }
    }

    /// Parses `if`/`with`/`range` after the keyword, through its `{{end}}`.
    fn control(&mut self, kw: &str) -> ParseResult<Node> {
        let pipe = self.pipeline(kw)?;
        self.expect_close(kw)?;
        if kw == "range" {
            self.range_depth += 1;
        }
        let listed = self.list();
        if kw == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let else_list = match end {
            Stop::Eof => return err(self.line(), "unexpected EOF"),
            Stop::End => Vec::new(),
            Stop::Else => match self.peek() {
                // `{{else if ...}}` / `{{else with ...}}` nest a branch sharing our {{end}}.
                Some(Tok::Ident(k)) if (k == "if" || k == "with") && kw != "range" => {
                    let k = k.clone();
                    self.pos += 1;
                    vec![self.control(&k)?]
                }
                _ => {
                    self.expect_close("else")?;
                    let (l, end) = self.list()?;
                    match end {
                        Stop::End => l,
                        Stop::Else => return err(self.line(), "expected end; found {{else}}"),
                        Stop::Eof => return err(self.line(), "unexpected EOF"),
                    }
                }
            },
        };
        let b = Branch {
            pipe,
            list,
            else_list,
        };
        Ok(match kw {
            "if" => Node::If(b),
            "with" => Node::With(b),
            _ => Node::Range(b),
        })
    }

    /// Parses a pipeline up to (not including) `}}` or `)`.
    fn pipeline(&mut self, ctx: &str) -> ParseResult<Pipe> {
        let line = self.line();
        let mut decl = Vec::new();
        let mut assign = false;
        let t = |i: usize| self.toks.get(self.pos + i).map(|t| &t.tok);
        let bare = |t: Option<&Tok>| match t {
            Some(Tok::Var(v, f)) if f.is_empty() => Some(v.clone()),
            _ => None,
        };
        let is_decl = |t: Option<&Tok>| matches!(t, Some(Tok::Declare | Tok::Assign));
        if let (Some(v), true) = (bare(t(0)), is_decl(t(1))) {
            assign = matches!(t(1), Some(Tok::Assign));
            decl.push(v);
            self.pos += 2;
        } else if let (Some(k), Some(Tok::Comma), Some(v), true) =
            (bare(t(0)), t(1), bare(t(2)), is_decl(t(3)))
        {
            if ctx != "range" {
                return err(line, format!("too many declarations in {ctx}"));
            }
            assign = matches!(t(3), Some(Tok::Assign));
            decl.push(k);
            decl.push(v);
            self.pos += 4;
        }
        let mut cmds = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Close | Tok::RParen) | None => break,
                Some(Tok::Pipe) => {
                    if cmds.is_empty() {
                        return err(line, "missing command");
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek(),
                        Some(Tok::Close | Tok::RParen | Tok::Pipe) | None
                    ) {
                        return err(line, "missing command");
                    }
                }
                _ => {}
            }
            cmds.push(self.command()?);
        }
        if cmds.is_empty() {
            return err(line, format!("missing value for {ctx}"));
        }
        Ok(Pipe {
            line,
            decl,
            assign,
            cmds,
        })
    }

    fn command(&mut self) -> ParseResult<Cmd> {
        let mut args = Vec::new();
        while !matches!(
            self.peek(),
            Some(Tok::Close | Tok::RParen | Tok::Pipe) | None
        ) {
            args.push(self.operand()?);
        }
        if let Some(Arg::Nil) = args.first() {
            return err(self.line(), "nil is not a command");
        }
        Ok(Cmd { args })
    }

    fn operand(&mut self) -> ParseResult<Arg> {
        let line = self.line();
        Ok(match self.next() {
            Some(Tok::Dot) => Arg::Dot,
            Some(Tok::Field(f)) => Arg::Field(f),
            Some(Tok::Var(v, f)) => Arg::Var(v, f),
            Some(Tok::Str(s)) => Arg::Lit(Json::String(s)),
            Some(Tok::Num(n)) => Arg::Lit(n),
            Some(Tok::Bool(b)) => Arg::Lit(Json::Bool(b)),
            Some(Tok::Nil) => Arg::Nil,
            Some(Tok::Ident(name)) => {
                if !(self.funcs)(&name) {
                    return err(line, format!("function {name:?} not defined"));
                }
                Arg::Func(name)
            }
            Some(Tok::LParen) => {
                let pipe = self.pipeline("parenthesized pipeline")?;
                match self.next() {
                    Some(Tok::RParen) => {}
                    Some(Tok::Close) | None => return err(line, "unclosed left paren"),
                    Some(t) => return err(line, format!("unexpected {}", describe(&t))),
                }
                let mut chain = Vec::new();
                while let Some(Token {
                    tok: Tok::Field(f),
                    spaced: false,
                    ..
                }) = self.toks.get(self.pos)
                {
                    chain.extend(f.iter().cloned());
                    self.pos += 1;
                }
                Arg::Pipe(Box::new(pipe), chain)
            }
            Some(t) => return err(line, format!("unexpected {} in operand", describe(&t))),
            None => return err(line, "unclosed action"),
        })
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Text(_) => "text".into(),
        Tok::Open => "\"{{\"".into(),
        Tok::Close => "\"}}\"".into(),
        Tok::Dot => "<.>".into(),
        Tok::Field(f) => format!("<.{}>", f.join(".")),
        Tok::Var(v, _) => format!("<{v}>"),
        Tok::Ident(i) => format!("<{i}>"),
        Tok::Str(s) => format!("{s:?}"),
        Tok::Num(n) => n.to_string(),
        Tok::Bool(b) => b.to_string(),
        Tok::Nil => "nil".into(),
        Tok::Pipe => "\"|\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::Comma => "\",\"".into(),
    }
}
