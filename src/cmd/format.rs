//! Output formatting shared by the commands: Docker's `--format` templates (`table`, `json`,
//! Go templates), `inspect`'s JSON, and go-units' human-readable sizes and durations.
//!
//! Everything here returns `String`s; printing is the command's job. Output must match
//! Docker's byte for byte, because scripts written for Docker parse it. No I/O, no clock:
//! callers pass `now`.

mod gojson;
pub mod tabwriter;
mod template;
mod text;
mod units;

use anyhow::{Result, anyhow};
use serde_json::Value as Json;

pub use text::{ellipsis, go_quote};
pub use units::{bytes_size, human_duration, human_size, human_size_precision, since};

/// The type name errors give for a table row's unknown field.
const ROW_TYPE: &str = "row";

use template::{Funcs, Template};

/// The `--format` word that prints one JSON object per line (Docker ≥ 23, Podman).
const JSON_FORMAT: &str = "json";
/// The template `json` stands for.
const JSON_TEMPLATE: &str = "{{json .}}";
/// docker/cli `formatter.TableFormatKey`.
const TABLE: &str = "table";

/// Renders rows with a Docker `--format` string or the command's default table.
///
/// `format`: `None` (or empty) means `default` is used. `headers`: a JSON object mapping
/// field name to column heading (`{"Repository":"REPOSITORY","ID":"IMAGE ID"}`), used for
/// `table` formats: the header line is the same template executed against `headers`, as
/// docker/cli does it. `table` alone means the default columns. A `table` format is aligned
/// like Go's `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`; any other format prints the
/// template once per row followed by a newline. `json` prints each row as compact JSON.
///
/// Errors: a template that does not parse, or fails on a row (`template: :1: ...`).
pub fn render(
    format: Option<&str>,
    default: &str,
    headers: &Json,
    rows: &[Json],
) -> Result<String> {
    let format = format.filter(|f| !f.is_empty()).unwrap_or(default);
    if format == JSON_FORMAT {
        return render_each(JSON_TEMPLATE, rows);
    }
    // docker/cli Format.IsTable is a plain prefix test, and `table` alone selects the default.
    let (table, mut body) = match format.strip_prefix(TABLE) {
        Some(rest) => (true, rest),
        None => (false, format),
    };
    if table && body.trim_matches(' ').is_empty() {
        body = default.strip_prefix(TABLE).unwrap_or(default);
    }
    // docker/cli Context.preFormat: trim spaces, then turn the two-character `\t` and `\n`
    // a shell passes through into real tabs and newlines.
    let body = body
        .trim_matches(' ')
        .replace(r"\t", "\t")
        .replace(r"\n", "\n");
    let tmpl = Template::parse(&body).map_err(|e| anyhow!("{e}"))?;
    let mut out = String::new();
    for row in rows {
        // Docker's rows are Go structs: an unknown field is an error, not `<no value>`.
        let line = tmpl
            .execute_as(row, Funcs::Basic, Some(ROW_TYPE))
            .map_err(|(e, _)| anyhow!("{e}"))?;
        out.push_str(&line);
        out.push('\n');
    }
    if !table {
        return Ok(out);
    }
    // docker/cli ignores a failing header and keeps what it wrote before the failure.
    let header = match tmpl.execute(headers, Funcs::Header) {
        Ok(h) => h,
        Err((_, partial)) => partial,
    };
    Ok(tabwriter::align(&format!("{header}\n{out}")))
}

/// Renders each object with an `inspect`-style `--format`: the template runs once per whole
/// object and each result is followed by a newline. `json` prints compact JSON per object;
/// an empty format gives [`json_pretty`]. Unlike [`render`], `\t`/`\n` are left alone
/// (docker/cli `inspect` parses the format as given).
///
/// Errors: a template that does not parse, or fails on an object.
pub fn render_each(format: &str, objects: &[Json]) -> Result<String> {
    if format.is_empty() {
        return Ok(json_pretty(objects));
    }
    let format = if format == JSON_FORMAT {
        JSON_TEMPLATE
    } else {
        format
    };
    let tmpl = Template::parse(format).map_err(|e| anyhow!("{e}"))?;
    let mut out = String::new();
    for obj in objects {
        let text = tmpl
            .execute(obj, Funcs::Basic)
            .map_err(|(e, _)| anyhow!("{e}"))?;
        out.push_str(&text);
        out.push('\n');
    }
    Ok(out)
}

/// Docker's `inspect` default output: a JSON array indented with 4 spaces, with Go's
/// escaping of `<`, `>` and `&`, and a trailing newline; `[]` when there is nothing.
pub fn json_pretty(objects: &[Json]) -> String {
    if objects.is_empty() {
        return "[]\n".to_string();
    }
    let mut s = gojson::indented(&Json::Array(objects.to_vec()));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests;
