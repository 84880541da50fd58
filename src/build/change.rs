//! `--change` instructions (`CMD ["sh"]`, `ENV A=1`, …) applied to an image's runtime config.
//!
//! Parses the Dockerfile instruction subset Docker's `import --change` accepts and edits the
//! config's `config` object in place (Docker field names: Cmd, Entrypoint, Env, …).

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

use crate::error;

/// The instructions `--change` accepts, as Docker lists them.
pub const ALLOWED: &[&str] = &[
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "LABEL",
    "ONBUILD",
    "USER",
    "VOLUME",
    "WORKDIR",
    "STOPSIGNAL",
];

fn bad(change: &str, why: &str) -> anyhow::Error {
    error::invalid(format!("invalid --change {change:?}: {why}"))
}

/// `["a","b"]` as a JSON array of strings, or `None` when `s` is not one (shell form).
fn json_array(s: &str) -> Option<Vec<String>> {
    if !s.trim_start().starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(s).ok()
}

/// Splits `k=v k2="v 2"` (or the legacy `k v`) into pairs, honouring double quotes and `\`.
fn key_values(change: &str, s: &str) -> Result<Vec<(String, String)>> {
    let s = s.trim();
    let first = s.split_whitespace().next().unwrap_or_default();
    if !first.contains('=') {
        // Legacy form: `ENV KEY value with spaces`.
        let (k, v) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
        if k.is_empty() {
            bail!(bad(change, "missing key"));
        }
        return Ok(vec![(k.to_string(), v.trim().to_string())]);
    }
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => quoted = !quoted,
                '\\' => word.extend(chars.next()),
                c if c.is_whitespace() && !quoted => break,
                c => word.push(c),
            }
        }
        if quoted {
            bail!(bad(change, "unterminated quote"));
        }
        let Some((k, v)) = word.split_once('=') else {
            bail!(bad(change, &format!("{word:?} is not KEY=VALUE")));
        };
        if k.is_empty() {
            bail!(bad(change, "missing key"));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

fn object<'a>(config: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = config.entry(key).or_insert_with(|| json!({}));
    if !slot.is_object() {
        *slot = json!({});
    }
    slot.as_object_mut()
        .expect("made an object on the line above")
}

/// Applies one `--change` instruction to `config` (the image config's `config` object).
pub fn apply(config: &mut Map<String, Value>, change: &str) -> Result<()> {
    let trimmed = change.trim();
    let (word, rest) = trimmed
        .split_once(char::is_whitespace)
        .unwrap_or((trimmed, ""));
    let instr = word.to_ascii_uppercase();
    let rest = rest.trim();
    if !ALLOWED.contains(&instr.as_str()) {
        bail!(bad(
            change,
            &format!(
                "{word:?} is not an instruction --change accepts ({})",
                ALLOWED.join(", ")
            )
        ));
    }
    if rest.is_empty() {
        bail!(bad(change, &format!("{instr} needs an argument")));
    }
    match instr.as_str() {
        "CMD" | "ENTRYPOINT" => {
            let argv = json_array(rest)
                .unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into(), rest.to_string()]);
            let key = if instr == "CMD" { "Cmd" } else { "Entrypoint" };
            // Docker resets an inherited CMD when a build sets ENTRYPOINT; `--change` starts
            // from the changes alone, so there is nothing inherited to reset.
            config.insert(key.into(), json!(argv));
        }
        "ENV" => {
            let env = config.entry("Env").or_insert_with(|| json!([]));
            if !env.is_array() {
                *env = json!([]);
            }
            let list = env.as_array_mut().expect("made an array on the line above");
            for (k, v) in key_values(change, rest)? {
                let prefix = format!("{k}=");
                list.retain(|e| !e.as_str().is_some_and(|s| s.starts_with(&prefix)));
                list.push(json!(format!("{k}={v}")));
            }
        }
        "LABEL" => {
            let labels = object(config, "Labels");
            for (k, v) in key_values(change, rest)? {
                labels.insert(k, json!(v));
            }
        }
        "EXPOSE" => {
            let ports = object(config, "ExposedPorts");
            for p in rest.split_whitespace() {
                let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
                let ok_num = num
                    .split_once('-')
                    .map_or(num.parse::<u16>().is_ok(), |(a, b)| {
                        a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok()
                    });
                if !ok_num || !matches!(proto, "tcp" | "udp" | "sctp") {
                    bail!(bad(change, &format!("invalid port {p:?}")));
                }
                ports.insert(format!("{num}/{proto}"), json!({}));
            }
        }
        "VOLUME" => {
            let list = json_array(rest)
                .unwrap_or_else(|| rest.split_whitespace().map(str::to_string).collect());
            let vols = object(config, "Volumes");
            for v in list {
                if !v.starts_with('/') {
                    bail!(bad(
                        change,
                        &format!("volume {v:?} is not an absolute path")
                    ));
                }
                vols.insert(v, json!({}));
            }
        }
        "USER" => {
            config.insert("User".into(), json!(rest));
        }
        "WORKDIR" => {
            let cur = config
                .get("WorkingDir")
                .and_then(Value::as_str)
                .unwrap_or("/");
            let dir = if rest.starts_with('/') {
                rest.to_string()
            } else {
                format!("{}/{rest}", cur.trim_end_matches('/'))
            };
            config.insert("WorkingDir".into(), json!(dir));
        }
        "STOPSIGNAL" => {
            config.insert("StopSignal".into(), json!(rest));
        }
        "ONBUILD" => {
            let list = config.entry("OnBuild").or_insert_with(|| json!([]));
            if !list.is_array() {
                *list = json!([]);
            }
            list.as_array_mut()
                .expect("made an array above")
                .push(json!(rest));
        }
        _ => unreachable!("checked against ALLOWED above"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(changes: &[&str]) -> Value {
        let mut m = Map::new();
        for c in changes {
            apply(&mut m, c).unwrap();
        }
        Value::Object(m)
    }

    #[test]
    fn exec_and_shell_forms() {
        assert_eq!(applied(&[r#"CMD ["/bin/sh"]"#])["Cmd"], json!(["/bin/sh"]));
        assert_eq!(
            applied(&["CMD echo hi"])["Cmd"],
            json!(["/bin/sh", "-c", "echo hi"])
        );
        let v = applied(&["CMD x", r#"ENTRYPOINT ["/e"]"#]);
        assert_eq!(v["Entrypoint"], json!(["/e"]));
        assert_eq!(v["Cmd"], json!(["/bin/sh", "-c", "x"]));
    }

    #[test]
    fn env_and_labels() {
        let v = applied(&[
            "ENV A=1",
            r#"ENV B="two words" C=3"#,
            "ENV A=9",
            "ENV LEGACY some value",
        ]);
        assert_eq!(
            v["Env"],
            json!(["B=two words", "C=3", "A=9", "LEGACY=some value"])
        );
        assert_eq!(
            applied(&["LABEL a=b c=d"])["Labels"],
            json!({"a": "b", "c": "d"})
        );
    }

    #[test]
    fn ports_volumes_user_workdir() {
        let v = applied(&[
            "EXPOSE 80 53/udp",
            "VOLUME /data /logs",
            "USER nobody",
            "WORKDIR /a",
            "WORKDIR b",
            "STOPSIGNAL SIGINT",
        ]);
        assert_eq!(v["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(v["Volumes"], json!({"/data": {}, "/logs": {}}));
        assert_eq!(v["User"], json!("nobody"));
        assert_eq!(v["WorkingDir"], json!("/a/b"));
        assert_eq!(v["StopSignal"], json!("SIGINT"));
    }

    #[test]
    fn rejects_bad_changes() {
        let mut m = Map::new();
        for bad in [
            "RUN echo",
            "FROM x",
            "CMD",
            "EXPOSE 99999",
            "EXPOSE 80/foo",
            "VOLUME rel",
            "ENV =x",
            r#"ENV A="x"#,
            "",
        ] {
            let e = apply(&mut m, bad).unwrap_err();
            assert!(
                format!("{e:#}").contains("invalid --change"),
                "{bad}: {e:#}"
            );
        }
    }
}
