//! Unit tests for the template engine: Go `text/template` semantics on JSON data.

use serde_json::{Value as Json, json};

use super::{Funcs, Template};

fn run(src: &str, data: &Json) -> String {
    let t = Template::parse(src).unwrap_or_else(|e| panic!("parse {src:?}: {e}"));
    t.execute(data, Funcs::Basic)
        .unwrap_or_else(|(e, _)| panic!("exec {src:?}: {e}"))
}

fn exec_err(src: &str, data: &Json) -> String {
    let t = Template::parse(src).unwrap_or_else(|e| panic!("parse {src:?}: {e}"));
    match t.execute(data, Funcs::Basic) {
        Ok(out) => panic!("{src:?} should fail, gave {out:?}"),
        Err((e, _)) => e,
    }
}

fn image() -> Json {
    json!({
        "Repository": "busybox",
        "Tag": "latest",
        "RepoTags": ["a:1", "b:2"],
        "Dangling": false,
        "Size": 4260000,
        "Ratio": 0.5,
        "Big": 4260000.0,
        "Config": {"Cmd": ["sh"], "Env": ["PATH=/bin"], "Labels": {"z": "1", "a": "2"}, "Entrypoint": null},
        "Empty": [],
        "Labels": {},
    })
}

#[test]
fn fields_and_printing() {
    let d = image();
    assert_eq!(run("{{.Config.Cmd}}", &d), "[sh]");
    assert_eq!(run("{{.RepoTags}}", &d), "[a:1 b:2]");
    assert_eq!(run("{{.Repository}}:{{.Tag}}", &d), "busybox:latest");
    assert_eq!(run("{{.Size}}", &d), "4260000");
    assert_eq!(run("{{.Ratio}}", &d), "0.5");
    assert_eq!(run("{{.Big}}", &d), "4.26e+06");
    assert_eq!(run("{{.Config.Labels}}", &d), "map[a:2 z:1]");
    assert_eq!(run("{{.Empty}} {{.Labels}}", &d), "[] map[]");
    assert_eq!(run("{{.Missing}}", &d), "<no value>");
    assert_eq!(run("{{.Missing.Deeper}}", &d), "<no value>");
    assert_eq!(run("{{.Config.Entrypoint}}", &d), "<no value>");
    assert_eq!(run("{{.Dangling}}", &d), "false");
    assert_eq!(
        run("{{.}}", &json!([null, 1, "x", [true]])),
        "[<nil> 1 x [true]]"
    );
    assert_eq!(
        run(
            "{{.Config}}",
            &json!({"Config": {"B": {"c": 1}, "A": [1, 2]}})
        ),
        "map[A:[1 2] B:map[c:1]]"
    );
}

#[test]
fn builtins_and_control() {
    let d = image();
    assert_eq!(run("{{index .RepoTags 0}}", &d), "a:1");
    assert_eq!(run("{{index .Config.Labels \"z\"}}", &d), "1");
    assert_eq!(run("{{index .Config.Labels \"nope\"}}", &d), "<no value>");
    assert_eq!(run("{{range .RepoTags}}{{.}} {{end}}", &d), "a:1 b:2 ");
    assert_eq!(
        run("{{range $i, $t := .RepoTags}}{{$i}}={{$t}},{{end}}", &d),
        "0=a:1,1=b:2,"
    );
    assert_eq!(
        run(
            "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}",
            &d
        ),
        "a=2;z=1;"
    );
    assert_eq!(run("{{range .Empty}}x{{else}}none{{end}}", &d), "none");
    assert_eq!(run("{{range .Missing}}x{{end}}", &d), "");
    assert_eq!(
        run(
            "{{range .RepoTags}}{{if eq . \"b:2\"}}{{break}}{{end}}{{.}}{{end}}",
            &d
        ),
        "a:1"
    );
    assert_eq!(
        run(
            "{{range .RepoTags}}{{if eq . \"a:1\"}}{{continue}}{{end}}{{.}}{{end}}",
            &d
        ),
        "b:2"
    );
    assert_eq!(run("{{if .Dangling}}yes{{else}}no{{end}}", &d), "no");
    assert_eq!(run("{{if .Size}}big{{end}}", &d), "big");
    assert_eq!(run("{{if not .Dangling}}kept{{end}}", &d), "kept");
    assert_eq!(
        run("{{if .Dangling}}a{{else if .Tag}}b{{else}}c{{end}}", &d),
        "b"
    );
    assert_eq!(run("{{with .Config}}{{.Cmd}}{{end}}", &d), "[sh]");
    assert_eq!(run("{{with .Missing}}x{{else}}y{{end}}", &d), "y");
    assert_eq!(
        run("{{len .RepoTags}} {{len .Tag}} {{len .Config.Labels}}", &d),
        "2 6 2"
    );
    assert_eq!(
        run("{{$t := .Tag}}{{.Repository}}:{{$t}}", &d),
        "busybox:latest"
    );
    assert_eq!(
        run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", &d),
        "2"
    );
    assert_eq!(
        run("{{range .RepoTags}}{{$.Repository}} {{end}}", &d),
        "busybox busybox "
    );
    assert_eq!(
        run(
            "{{and .Tag .Repository}} {{or .Missing \"d\"}} {{and .Dangling .Boom}}",
            &d
        ),
        "busybox d false"
    );
    assert_eq!(
        run(
            "{{eq .Size 4260000}} {{ne .Tag \"x\"}} {{lt 1 2}} {{ge \"b\" \"a\"}} {{eq .Tag \"a\" \"latest\"}}",
            &d
        ),
        "true true true true true"
    );
    assert_eq!(run("{{.Tag | printf \"%-8s|\"}}", &d), "latest  |");
    assert_eq!(
        run(
            "{{printf \"%d-%5.2f-%q-%v-%x\" 3 1.5 \"s\" .RepoTags 255}}",
            &d
        ),
        "3- 1.50-\"s\"-[a:1 b:2]-ff"
    );
    assert_eq!(
        run("{{printf \"%d\" \"x\"}} {{printf \"%s\"}}", &d),
        "%!d(string=x) %!s(MISSING)"
    );
    assert_eq!(run("{{print 1 2 \"a\" 3}}", &d), "1 2a3");
    assert_eq!(run("{{println .Tag 1}}", &d), "latest 1\n");
    assert_eq!(
        run("{{slice .Tag 1 3}} {{slice .RepoTags 1}}", &d),
        "at [b:2]"
    );
    assert_eq!(
        run("{{(index .RepoTags 1)}} {{(.Config).Cmd}}", &d),
        "b:2 [sh]"
    );
    assert_eq!(run("{{range 3}}{{.}}{{end}}", &d), "012");
}

#[test]
fn docker_functions() {
    let d = image();
    assert_eq!(
        run("{{json .Config}}", &d),
        r#"{"Cmd":["sh"],"Env":["PATH=/bin"],"Labels":{"z":"1","a":"2"},"Entrypoint":null}"#
    );
    assert_eq!(
        run("{{json .Missing}} {{json .Tag}} {{json .Size}}", &d),
        r#"null "latest" 4260000"#
    );
    assert_eq!(run("{{json \"a<b&c\"}}", &d), r#""a<b&c""#);
    assert_eq!(run("{{join .RepoTags \",\"}}", &d), "a:1,b:2");
    assert_eq!(run("{{join .Missing \",\"}}", &d), "");
    assert_eq!(run("{{split \"a,b,c\" \",\"}}", &d), "[a b c]");
    assert_eq!(run("{{index (split .Repository \"y\") 1}}", &d), "box");
    assert_eq!(
        run("{{title \"hello wORLD-foo_bar\"}}", &d),
        "Hello WORLD-Foo_bar"
    );
    assert_eq!(run("{{lower \"ABC\"}} {{upper .Tag}}", &d), "abc LATEST");
    assert_eq!(
        run("[{{pad .Tag 2 1}}][{{pad \"\" 2 1}}]", &d),
        "[  latest ][]"
    );
    assert_eq!(
        run(
            "{{truncate .Repository 4}} {{truncate .Tag 40}} {{truncate \"héllo\" 2}}",
            &d
        ),
        "busy latest h"
    );
    assert_eq!(run("{{.Tag | upper | printf \"%.2s\"}}", &d), "LA");
}

#[test]
fn trim_markers_and_comments() {
    let d = json!({"A": "a"});
    assert_eq!(run("x  {{- .A -}}  y", &d), "xay");
    assert_eq!(run("x {{/* note */}} y", &d), "x  y");
    assert_eq!(run("x {{- /* note */ -}} y", &d), "xy");
    assert_eq!(run("{{.A}}\t{{`raw\\t`}}", &d), "a\traw\\t");
    assert_eq!(run("{{\"q\\t\\u00e9\\x41\"}}", &d), "q\téA");
    assert_eq!(
        run("{{'a'}} {{0x10}} {{-3}} {{1_000}}", &d),
        "97 16 -3 1000"
    );
    assert_eq!(run("{{if eq .A \"a\" -}}\n  yes\n{{- end}}", &d), "yes");
}

#[test]
fn malformed_templates_are_errors() {
    for src in [
        "{{.Foo",
        "{{range}}",
        "{{if}}",
        "{{end}}",
        "{{else}}",
        "{{if .A}}",
        "{{range .A}}{{else}}",
        "{{if .A}}{{else}}{{else}}{{end}}",
        "{{nope .A}}",
        "{{\"abc}}",
        "{{`abc}}",
        "{{/* x",
        "{{/* x */ y}}",
        "{{ /* x */}}",
        "{{.A | }}",
        "{{| .A}}",
        "{{(.A}}",
        "{{.A)}}",
        "{{break}}",
        "{{define \"x\"}}{{end}}",
        "{{template \"x\"}}",
        "{{nil}}",
        "{{1x}}",
        "{{'ab'}}",
        "{{\"\\é\"}}",
        "{{\"\\",
        "{{\"\\x4\"}}",
        "{{$a, $b := .}}",
        "{{#}}",
        "{{",
        "{{-",
        "{{- ",
        "}}{{",
        "{{.A :}}",
    ] {
        let r = Template::parse(src);
        let e = r.expect_err(src);
        assert!(e.starts_with("template: "), "{src:?}: {e}");
    }
}

#[test]
fn go_error_messages() {
    assert_eq!(
        Template::parse("{{.Foo").unwrap_err(),
        "template: :1: unclosed action"
    );
    assert_eq!(
        Template::parse("{{range}}").unwrap_err(),
        "template: :1: missing value for range"
    );
    assert_eq!(
        Template::parse("{{end}}").unwrap_err(),
        "template: :1: unexpected {{end}}"
    );
    assert_eq!(
        Template::parse("a\n{{foo}}").unwrap_err(),
        "template: :2: function \"foo\" not defined"
    );
}

#[test]
fn execution_errors() {
    let d = image();
    for src in [
        "{{.Tag.Foo}}",
        "{{.Config.Entrypoint.X}}",
        "{{index .RepoTags 5}}",
        "{{index .RepoTags -1}}",
        "{{index .RepoTags \"x\"}}",
        "{{index .Missing 0}}",
        "{{index .Size 0}}",
        "{{len .Size}}",
        "{{len .Missing}}",
        "{{range .Tag}}{{end}}",
        "{{join .Tag \",\"}}",
        "{{join .Size}}",
        "{{upper .Size}}",
        "{{truncate .Tag -1}}",
        "{{pad .Tag -1 0}}",
        "{{slice .Tag 3 1}}",
        "{{slice .Tag 0 99}}",
        "{{lt .Tag 1}}",
        "{{eq .RepoTags .RepoTags}}",
        "{{eq .Tag}}",
        "{{.Tag 1}}",
        "{{1 2}}",
        "{{$nope}}",
        "{{and}}",
        "{{not}}",
        "{{split .Tag}}",
        // The piped value is the last argument, so this is truncate(3, "LATEST") in Go too.
        "{{.Tag | upper | truncate 3}}",
    ] {
        let e = exec_err(src, &d);
        assert!(e.starts_with("template: "), "{src:?}: {e}");
    }
    assert_eq!(
        exec_err("{{.Tag.Foo}}", &d),
        "template: :1: executing \"\" at <.Tag.Foo>: can't evaluate field Foo in type string"
    );
    assert_eq!(
        exec_err("{{index .RepoTags 5}}", &d),
        "template: :1: executing \"\" at <index>: error calling index: index out of range: 5"
    );
}

#[test]
fn partial_output_is_kept_on_error() {
    let t = Template::parse("a{{.X.Y}}b").unwrap();
    let (_, partial) = t.execute(&json!({"X": 1}), Funcs::Basic).unwrap_err();
    assert_eq!(partial, "a");
}

#[test]
fn header_functions_are_identity() {
    let t = Template::parse("{{upper .A}} {{json .B}} {{truncate .A 1}} {{lower .A}}").unwrap();
    let out = t
        .execute(&json!({"A": "NAME", "B": "ID"}), Funcs::Header)
        .unwrap();
    assert_eq!(out, "NAME ID NAME NAME");
}

#[test]
fn no_panics_on_generated_templates() {
    // Deterministic pseudo-random templates from template-significant pieces: every one must
    // parse or fail cleanly, and execute or fail cleanly.
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        ".",
        ".A",
        ".B.C",
        "$",
        "$x",
        ":=",
        "=",
        ",",
        "|",
        "(",
        ")",
        "\"",
        "\\",
        "`",
        "'",
        "é",
        " ",
        "\n",
        "if",
        "else",
        "end",
        "range",
        "with",
        "break",
        "index",
        "len",
        "slice",
        "printf",
        "\"%d%-3s%\"",
        "json",
        "join",
        "split",
        "pad",
        "truncate",
        "title",
        "eq",
        "lt",
        "and",
        "or",
        "not",
        "1",
        "-1",
        "0x",
        "1e",
        "nil",
        "true",
        "/*",
        "*/",
        "\"a\"",
        "99999999999999999999",
        "'\\x'",
        "\"\\u12\"",
    ];
    let data = json!({"A": [1, "x", null], "B": {"C": {"D": 1.5}}, "S": "héllo"});
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..50_000 {
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        let n = next() % 12 + 1;
        let src: String = (0..n).map(|_| PIECES[next() % PIECES.len()]).collect();
        if let Ok(t) = Template::parse(&src) {
            let _ = t.execute(&data, Funcs::Basic);
            let _ = t.execute(&data, Funcs::Header);
        }
    }
}
