//! A Go `text/template` engine over `serde_json::Value` data, with Docker's template functions.
//!
//! Written for `--format` rather than using gtmpl because Docker output depends on details
//! gtmpl gets wrong for JSON data: `%v` printing of slices and maps (`[a b]`, `map[k:v]`),
//! sorted map iteration in `range`, `<no value>` for missing keys, and panics on some
//! malformed input. Parsing lives in `parse`, evaluation here, functions in `funcs`.
//! Never panics on a template or data: every failure is an `Err` with Go-like text.

mod funcs;
mod parse;

use serde_json::Value as Json;

use parse::{Arg, Branch, Cmd, Node, Pipe};

/// A value during execution: JSON data, or Go's invalid `reflect.Value` (a missing map key),
/// which prints as `<no value>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Missing,
    Data(Json),
}

impl Val {
    fn json(&self) -> Option<&Json> {
        match self {
            Val::Missing => None,
            Val::Data(j) => Some(j),
        }
    }
}

/// Which function table a template runs with: Docker swaps in identity functions for
/// `json`/`title`/`lower`/`upper`/`truncate` when it renders a table header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funcs {
    Basic,
    Header,
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<Node>,
}

/// How a list of nodes finished.
enum Flow {
    Normal,
    Break,
    Continue,
}

impl Template {
    /// Parses `src`; errors look like Go's (`template: :1: unclosed action`).
    pub fn parse(src: &str) -> Result<Template, String> {
        let nodes = parse::parse(src, &funcs::exists)?;
        Ok(Template { nodes })
    }

    /// Executes against `data`. On error, returns the error and the output produced so far
    /// (Go writes as it goes, and Docker keeps a header's partial output).
    pub fn execute(&self, data: &Json, funcs: Funcs) -> Result<String, (String, String)> {
        self.execute_as(data, funcs, None)
    }

    /// Executes against `data` standing for a Go struct named `typed`: a field the object lacks
    /// is an error (`can't evaluate field X in type T`), as it is for Docker's typed table rows,
    /// rather than `<no value>`. Only the top-level object is typed; values inside it are maps.
    pub fn execute_as(
        &self,
        data: &Json,
        funcs: Funcs,
        typed: Option<&'static str>,
    ) -> Result<String, (String, String)> {
        let dot = Val::Data(data.clone());
        let mut st = State {
            out: String::new(),
            vars: vec![("$".to_string(), Val::Data(data.clone()))],
            funcs,
            typed: typed.map(|t| (t, std::ptr::from_ref(&dot))),
        };
        match st.walk(&dot, &self.nodes) {
            Ok(_) => Ok(st.out),
            Err(e) => Err((e, st.out)),
        }
    }
}

struct State {
    out: String,
    vars: Vec<(String, Val)>,
    funcs: Funcs,
    /// The Go type name of the top-level object and the address of the top-level dot, when
    /// that object is typed (see `execute_as`). The address is only compared, never read.
    typed: Option<(&'static str, *const Val)>,
}

fn exec_err(line: usize, at: &dyn std::fmt::Display, msg: impl std::fmt::Display) -> String {
    format!("template: :{line}: executing \"\" at <{at}>: {msg}")
}

impl State {
    fn walk(&mut self, dot: &Val, nodes: &[Node]) -> Result<Flow, String> {
        for node in nodes {
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.pipe(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        funcs::print_top(&v, &mut self.out);
                    }
                }
                Node::If(b) | Node::With(b) => {
                    let mark = self.vars.len();
                    let v = self.pipe(dot, &b.pipe)?;
                    let flow = if funcs::truth(&v) {
                        let inner = if matches!(node, Node::With(_)) {
                            &v
                        } else {
                            dot
                        };
                        self.walk(inner, &b.list)
                    } else {
                        self.walk(dot, &b.else_list)
                    };
                    self.vars.truncate(mark);
                    match flow? {
                        Flow::Normal => {}
                        f => return Ok(f),
                    }
                }
                Node::Range(b) => {
                    let mark = self.vars.len();
                    let r = self.range(dot, b);
                    self.vars.truncate(mark);
                    r?;
                }
                Node::Break => return Ok(Flow::Break),
                Node::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn range(&mut self, dot: &Val, b: &Branch) -> Result<(), String> {
        let decl = b.pipe.decl.clone();
        let mut pipe = b.pipe.clone();
        pipe.decl.clear();
        let v = self.pipe(dot, &pipe)?;
        let items: Vec<(Json, Json)> = match v.json() {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, e)| (Json::from(i), e.clone()))
                .collect(),
            Some(Json::Object(m)) => {
                // Go ranges over maps in sorted key order.
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter()
                    .map(|k| (Json::String(k.clone()), m[k].clone()))
                    .collect()
            }
            Some(Json::Number(n)) if n.as_u64().is_some() || n.as_i64().is_some() => {
                // Go 1.22: range over an integer.
                let n = n.as_u64().unwrap_or(0);
                (0..n).map(|i| (Json::from(i), Json::from(i))).collect()
            }
            Some(other) => {
                return Err(format!(
                    "template: :{}: range can't iterate over {}",
                    pipe.line,
                    funcs::sprint_v(other)
                ));
            }
        };
        if items.is_empty() {
            self.walk(dot, &b.else_list)?;
            return Ok(());
        }
        let mark = self.vars.len();
        for (k, e) in items {
            let elem = Val::Data(e);
            match decl.as_slice() {
                [v] => self.declare(v, elem.clone(), b.pipe.assign)?,
                [kv, v] => {
                    self.declare(kv, Val::Data(k), b.pipe.assign)?;
                    self.declare(v, elem.clone(), b.pipe.assign)?;
                }
                _ => {}
            }
            let flow = self.walk(&elem, &b.list)?;
            self.vars.truncate(mark);
            if let Flow::Break = flow {
                break;
            }
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, v: Val, assign: bool) -> Result<(), String> {
        if assign {
            match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = v,
                None => return Err(format!("template: undefined variable: {name}")),
            }
        } else {
            self.vars.push((name.to_string(), v));
        }
        Ok(())
    }

    fn pipe(&mut self, dot: &Val, pipe: &Pipe) -> Result<Val, String> {
        let mut val: Option<Val> = None;
        for cmd in &pipe.cmds {
            val = Some(self.command(dot, cmd, val, pipe.line)?);
        }
        let v = val.unwrap_or(Val::Missing);
        for name in &pipe.decl {
            self.declare(name, v.clone(), pipe.assign)?;
        }
        Ok(v)
    }

    fn command(
        &mut self,
        dot: &Val,
        cmd: &Cmd,
        fin: Option<Val>,
        line: usize,
    ) -> Result<Val, String> {
        let Some(first) = cmd.args.first() else {
            return Err(format!("template: :{line}: missing command"));
        };
        if let Arg::Func(name) = first {
            return self.call(dot, name, &cmd.args[1..], fin, line);
        }
        if cmd.args.len() > 1 || fin.is_some() {
            let msg = match first {
                Arg::Field(_) | Arg::Var(..) | Arg::Pipe(..) => {
                    format!("{first} is not a method but has arguments")
                }
                _ => format!("can't give argument to non-function {first}"),
            };
            return Err(exec_err(line, first, msg));
        }
        self.arg(dot, first, line)
    }

    fn call(
        &mut self,
        dot: &Val,
        name: &str,
        args: &[Arg],
        fin: Option<Val>,
        line: usize,
    ) -> Result<Val, String> {
        let at = Arg::Func(name.to_string());
        // `and` and `or` short-circuit (Go 1.18).
        if name == "and" || name == "or" {
            let total = args.len() + usize::from(fin.is_some());
            if total == 0 {
                return Err(exec_err(
                    line,
                    &at,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut last = Val::Missing;
            for a in args {
                last = self.arg(dot, a, line)?;
                if funcs::truth(&last) == (name == "or") {
                    return Ok(last);
                }
            }
            return Ok(fin.unwrap_or(last));
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            vals.push(self.arg(dot, a, line)?);
        }
        vals.extend(fin);
        funcs::call(name, &vals, self.funcs).map_err(|e| exec_err(line, &at, e))
    }

    fn arg(&mut self, dot: &Val, arg: &Arg, line: usize) -> Result<Val, String> {
        let (base, fields) = match arg {
            Arg::Dot => return Ok(dot.clone()),
            Arg::Lit(j) => return Ok(Val::Data(j.clone())),
            Arg::Nil => return Err(exec_err(line, arg, "nil is not a command")),
            Arg::Func(name) => return self.call(dot, name, &[], None, line),
            Arg::Field(fs) => {
                if let Some((ty, root)) = self.typed
                    && std::ptr::eq(dot, root)
                {
                    check_typed(dot, fs, ty).map_err(|e| exec_err(line, arg, e))?;
                }
                (dot.clone(), fs)
            }
            Arg::Var(name, fs) => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("template: :{line}: undefined variable \"{name}\""))?;
                if let Some((ty, _)) = self.typed
                    && name == "$"
                {
                    check_typed(&v, fs, ty).map_err(|e| exec_err(line, arg, e))?;
                }
                (v, fs)
            }
            Arg::Pipe(p, fs) => (self.pipe(dot, p)?, fs),
        };
        let mut cur = base;
        for f in fields {
            cur = field(&cur, f).map_err(|e| exec_err(line, arg, e))?;
        }
        Ok(cur)
    }
}

/// The first field looked up on a typed object must exist.
fn check_typed(recv: &Val, fields: &[String], ty: &str) -> Result<(), String> {
    match (recv, fields.first()) {
        (Val::Data(Json::Object(m)), Some(f)) if !m.contains_key(f) => {
            Err(format!("can't evaluate field {f} in type {ty}"))
        }
        _ => Ok(()),
    }
}

/// Go's field lookup on `map[string]interface{}` data.
fn field(recv: &Val, name: &str) -> Result<Val, String> {
    match recv {
        Val::Missing => Ok(Val::Missing),
        Val::Data(Json::Object(m)) => Ok(m.get(name).cloned().map_or(Val::Missing, Val::Data)),
        Val::Data(Json::Null) => Err(format!("nil pointer evaluating interface {{}}.{name}")),
        Val::Data(other) => Err(format!(
            "can't evaluate field {name} in type {}",
            funcs::go_type(other)
        )),
    }
}

#[cfg(test)]
mod tests;
