//! Unit tests for the `--format` entry points: tables, plain templates, `json`, inspect output.

use serde_json::{Value as Json, json};

use super::*;

const IMAGES_DEFAULT: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

fn headers() -> Json {
    json!({
        "Repository": "REPOSITORY",
        "Tag": "TAG",
        "ID": "IMAGE ID",
        "CreatedSince": "CREATED",
        "Size": "SIZE",
    })
}

fn rows() -> Vec<Json> {
    vec![
        json!({"Repository": "busybox", "Tag": "latest", "ID": "a416a98b71e2",
               "CreatedSince": "2 months ago", "Size": "4.26MB", "Containers": 4260000,
               "RepoTags": ["busybox:latest"], "Config": {"Cmd": ["sh"]}}),
        json!({"Repository": "registry.example.com/team/very-long-name", "Tag": "v1.2.3",
               "ID": "0123456789ab", "CreatedSince": "3 years ago", "Size": "1.235GB",
               "Containers": 0, "RepoTags": [], "Config": {"Cmd": null}}),
    ]
}

#[test]
fn default_table() {
    let out = render(None, IMAGES_DEFAULT, &headers(), &rows()[..1]).unwrap();
    assert_eq!(
        out,
        "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n\
         busybox      latest    a416a98b71e2   2 months ago   4.26MB\n"
    );
    // `table` alone and an empty format both mean the default.
    assert_eq!(
        render(Some("table"), IMAGES_DEFAULT, &headers(), &rows()[..1]).unwrap(),
        out
    );
    assert_eq!(
        render(Some(""), IMAGES_DEFAULT, &headers(), &rows()[..1]).unwrap(),
        out
    );
}

#[test]
fn wide_cells_align() {
    let out = render(None, IMAGES_DEFAULT, &headers(), &rows()).unwrap();
    assert_eq!(
        out,
        "REPOSITORY                                 TAG       IMAGE ID       CREATED        SIZE\n\
         busybox                                    latest    a416a98b71e2   2 months ago   4.26MB\n\
         registry.example.com/team/very-long-name   v1.2.3    0123456789ab   3 years ago    1.235GB\n"
    );
}

#[test]
fn table_with_no_rows_prints_the_header() {
    let out = render(None, IMAGES_DEFAULT, &headers(), &[]).unwrap();
    assert_eq!(out, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
}

#[test]
fn user_table_with_escapes() {
    // A shell passes `\t` as two characters; Docker turns them into a tab.
    let out = render(
        Some(r"table {{.ID}}\t{{.Repository}}"),
        IMAGES_DEFAULT,
        &headers(),
        &rows()[..1],
    )
    .unwrap();
    assert_eq!(out, "IMAGE ID       REPOSITORY\na416a98b71e2   busybox\n");
    // Unknown header keys print <no value>, as Go does for a missing map key.
    let out = render(
        Some("table {{.Containers}}"),
        IMAGES_DEFAULT,
        &headers(),
        &rows()[..1],
    )
    .unwrap();
    assert_eq!(out, "<no value>\n4260000\n");
}

#[test]
fn plain_format_is_not_aligned() {
    let out = render(
        Some(r"{{.Repository}}:{{.Tag}}\t{{.Size}}"),
        IMAGES_DEFAULT,
        &headers(),
        &rows(),
    )
    .unwrap();
    assert_eq!(
        out,
        "busybox:latest\t4.26MB\nregistry.example.com/team/very-long-name:v1.2.3\t1.235GB\n"
    );
    let out = render(
        Some("{{.Config.Cmd}} {{.RepoTags}} {{len .RepoTags}}"),
        "",
        &headers(),
        &rows(),
    )
    .unwrap();
    assert_eq!(out, "[sh] [busybox:latest] 1\n<no value> [] 0\n");
    let out = render(
        Some("{{if .Containers}}used{{else}}unused{{end}}"),
        "",
        &headers(),
        &rows(),
    )
    .unwrap();
    assert_eq!(out, "used\nunused\n");
    assert_eq!(render(Some("x"), "", &headers(), &[]).unwrap(), "");
}

#[test]
fn json_formats() {
    let row = json!({"ID": "abc", "Size": 4260000, "Tags": ["a<b"]});
    let want = "{\"ID\":\"abc\",\"Size\":4260000,\"Tags\":[\"a<b\"]}\n";
    assert_eq!(
        render(Some("json"), "", &headers(), std::slice::from_ref(&row)).unwrap(),
        want
    );
    assert_eq!(
        render(
            Some("{{json .}}"),
            "",
            &headers(),
            std::slice::from_ref(&row)
        )
        .unwrap(),
        want
    );
    assert_eq!(
        render_each("json", std::slice::from_ref(&row)).unwrap(),
        want
    );
    assert_eq!(
        render_each("{{json .}}", &[row.clone(), row]).unwrap(),
        format!("{want}{want}")
    );
}

#[test]
fn render_errors() {
    for f in ["{{.Foo", "table {{range}}", "{{.ID.X}}", "{{nope}}"] {
        let e = render(Some(f), IMAGES_DEFAULT, &headers(), &rows()).unwrap_err();
        assert!(e.to_string().starts_with("template: "), "{f}: {e}");
    }
    assert!(render_each("{{.Foo", &[json!({})]).is_err());
    assert!(render_each("{{index .A 3}}", &[json!({"A": []})]).is_err());
}

#[test]
fn broken_header_keeps_partial_output() {
    // The header template fails on `index` of a string; Docker ignores that and keeps "ID ".
    let out = render(
        Some("table {{.ID}} {{index .Repository 99}}"),
        "",
        &headers(),
        &[],
    )
    .unwrap();
    assert_eq!(out, "IMAGE ID \n");
}

#[test]
fn inspect_each() {
    let objs = [
        json!({"Id": "sha256:1", "Config": {"Cmd": ["sh"], "Labels": {"b": "2", "a": "1"}}}),
        json!({"Id": "sha256:2", "Config": {"Cmd": ["echo", "hi"], "Labels": null}}),
    ];
    assert_eq!(
        render_each("{{.Config.Cmd}}", &objs).unwrap(),
        "[sh]\n[echo hi]\n"
    );
    assert_eq!(
        render_each("{{.Config.Labels}}", &objs).unwrap(),
        "map[a:1 b:2]\n<no value>\n"
    );
    // inspect does not translate `\t`.
    assert_eq!(
        render_each(r"{{.Id}}\t", &objs[..1]).unwrap(),
        "sha256:1\\t\n"
    );
    assert_eq!(
        render_each("", &objs[..1]).unwrap(),
        json_pretty(&objs[..1])
    );
}

#[test]
fn pretty_json() {
    assert_eq!(json_pretty(&[]), "[]\n");
    let obj = json!({"Id": "x", "Cmd": ["/bin/sh", "-c", "a && b"], "Env": [], "Labels": {}, "Size": 4260000});
    assert_eq!(
        json_pretty(&[obj]),
        "[\n    {\n        \"Id\": \"x\",\n        \"Cmd\": [\n            \"/bin/sh\",\n            \"-c\",\n            \"a \\u0026\\u0026 b\"\n        ],\n        \"Env\": [],\n        \"Labels\": {},\n        \"Size\": 4260000\n    }\n]\n"
    );
}

#[test]
fn humanized_reexports() {
    assert_eq!(human_size(4_261_000), "4.261MB");
    assert_eq!(
        human_duration(std::time::Duration::from_secs(90)),
        "About a minute"
    );
}
