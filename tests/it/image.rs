//! Images in the store: load, images/image ls, tag/untag, rmi, image inspect, history, save,
//! import, image prune, image exists. Output shapes are Docker's (DESIGN.md "Output contract").

use crate::support::fixtures::{self, Image};
use crate::support::{TestEnv, tabwriter, tarball};

/// A size the way Docker's `images` prints it: `units.HumanSizeWithPrecision(size, 3)`, i.e.
/// decimal units and Go's `%.3g`.
pub fn docker_size(size: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    // %.3g: 3 significant digits, trailing zeros dropped.
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let mut s = format!("{v:.digits$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{s}{}", units[i])
}

/// `images --format` lines for the whole store.
fn names(env: &TestEnv) -> Vec<String> {
    let out = env
        .berth(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success();
    let mut v: Vec<String> = out.lines().iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn inspect(env: &TestEnv, image: &str) -> serde_json::Value {
    let out = env.berth(["image", "inspect", image]).assert_success();
    let v = out.json();
    let arr = v.as_array().expect("image inspect prints a JSON array");
    assert_eq!(arr.len(), 1, "one object per image: {v}");
    arr[0].clone()
}

both_modes!(load_docker_archive_from_file, |env| {
    let bb = fixtures::busybox();
    env.berth(["load", "-i"])
        .arg(&bb.docker_archive)
        .assert_success()
        .stdout_is("Loaded image: busybox:latest\n");
    assert_eq!(names(env), ["busybox:latest"]);
    env.berth(["images", "-q"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.short_id()));
    env.berth(["images", "-q", "--no-trunc"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.id));
});

both_modes!(load_oci_archive_from_stdin, |env| {
    let bb = fixtures::busybox();
    env.berth(["load"])
        .stdin_file(&bb.oci_archive)
        .assert_success()
        .stdout_is("Loaded image: busybox:latest\n");
    env.berth(["images", "-q", "--no-trunc"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.id));
    assert_eq!(
        inspect(env, "busybox")["RootFS"]["Layers"],
        serde_json::json!(bb.diff_ids)
    );
});

both_modes!(load_is_idempotent_and_quiet_flag_works, |env| {
    let bb = fixtures::busybox();
    env.load(bb);
    env.berth(["load", "-q", "-i"])
        .arg(&bb.docker_archive)
        .assert_success();
    env.berth(["load", "--input"])
        .arg(&bb.oci_archive)
        .assert_success();
    assert_eq!(names(env), ["busybox:latest"]);
    env.berth(["images", "-q"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.short_id()));
});

both_modes!(load_untagged_prints_id, |env| {
    let bb = fixtures::busybox();
    let archive = env.path("untagged.tar");
    fixtures::write_docker_archive(&archive, &[(bb, vec![])]);
    env.berth(["load", "-i"])
        .arg(&archive)
        .assert_success()
        .stdout_is(&format!("Loaded image ID: {}\n", bb.id));
    env.berth(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])
        .assert_success()
        .stdout_is(&format!("<none>:<none> {}\n", bb.short_id()));
});

both_modes!(load_multi_image_archive, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    let archive = env.path("multi.tar");
    fixtures::write_docker_archive(
        &archive,
        &[
            (bb, vec!["busybox:latest".into(), "mybox:1".into()]),
            (second, vec!["second:latest".into()]),
        ],
    );
    let out = env.berth(["load", "-i"]).arg(&archive).assert_success();
    let mut lines = out.lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "Loaded image: busybox:latest",
            "Loaded image: mybox:1",
            "Loaded image: second:latest"
        ]
    );
    assert_eq!(names(env), ["busybox:latest", "mybox:1", "second:latest"]);

    let archive = env.path("multi-oci.tar");
    fixtures::write_oci_archive(
        &archive,
        &[
            (bb, vec!["ocibox:2".into()]),
            (second, vec!["ocisecond:3".into()]),
        ],
    );
    env.berth(["load", "-i"]).arg(&archive).assert_success();
    assert_eq!(
        names(env),
        [
            "busybox:latest",
            "mybox:1",
            "ocibox:2",
            "ocisecond:3",
            "second:latest"
        ]
    );
});

both_modes!(images_table_is_docker_shaped, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let out = env.berth(["images"]).assert_success();
    let lines = out.lines();
    assert_eq!(lines.len(), 3, "header + 2 images:\n{}", out.stdout);
    assert!(
        lines[0].starts_with("REPOSITORY   TAG       IMAGE ID       CREATED")
            && lines[0].contains("SIZE"),
        "header: {:?}",
        lines[0]
    );
    // Newest first (second was created after busybox), cells aligned like Go's tabwriter.
    assert!(
        lines[1].starts_with(&format!("second       latest    {}   ", second.short_id())),
        "{:?}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!("busybox      latest    {}   ", bb.short_id())),
        "{:?}",
        lines[2]
    );
    // SIZE is Docker's: decimal units, 3 significant digits (go-units HumanSizeWithPrecision).
    for (line, img) in [(lines[1], second), (lines[2], bb)] {
        let size = env
            .berth(["image", "inspect", "--format", "{{.Size}}", &img.reference])
            .assert_success();
        let size: u64 = size.trimmed().parse().expect("Size is a number");
        assert!(
            line.ends_with(&format!("   {}", docker_size(size))),
            "{line:?}: size {size}"
        );
    }
    // The same through the aliases.
    env.berth(["image", "ls"])
        .assert_success()
        .stdout_is(&out.stdout);
    env.berth(["image", "list"])
        .assert_success()
        .stdout_is(&out.stdout);
    env.berth(["images", "-a"])
        .assert_success()
        .stdout_is(&out.stdout);
});

both_modes!(images_format_templates, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let rows = vec![
        vec!["REPOSITORY".to_string(), "TAG".to_string()],
        vec!["second".to_string(), "latest".to_string()],
        vec!["busybox".to_string(), "latest".to_string()],
    ];
    env.berth(["images", "--format", "table {{.Repository}}\t{{.Tag}}"])
        .assert_success()
        .stdout_is(&tabwriter(&rows));
    env.berth(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success()
        .stdout_is("second:latest\nbusybox:latest\n");
    let out = env
        .berth(["images", "--format", "{{json .}}"])
        .assert_success();
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "one JSON object per line:\n{}", out.stdout);
    for (line, img) in lines.iter().zip([second, bb]) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(v["Repository"], img.repo.as_str(), "{line}");
        assert_eq!(v["Tag"], "latest", "{line}");
        assert_eq!(v["ID"], img.short_id(), "{line}");
        assert!(
            v.get("CreatedSince").is_some() && v.get("Size").is_some(),
            "{line}"
        );
    }
    env.berth(["images", "--digests"])
        .assert_success()
        .stdout_contains("DIGEST");
    // A template error is berth's error, not a panic.
    env.berth(["images", "--format", "{{.Repository"])
        .assert_error();
    env.berth(["images", "--format", "{{.NoSuchField}}"])
        .assert_error();
});

both_modes!(images_filters, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let ids = |filter: &str| {
        env.berth(["images", "-q", "--filter", filter])
            .assert_success()
            .stdout
    };
    let line = |i: &Image| format!("{}\n", i.short_id());
    assert_eq!(ids("label=org.example.fixture"), line(second));
    assert_eq!(ids("label=org.example.fixture=second"), line(second));
    assert_eq!(ids("label=org.example.fixture=other"), "");
    assert_eq!(ids("reference=busy*"), line(bb));
    assert_eq!(ids("reference=second:latest"), line(second));
    assert_eq!(ids("before=second"), line(bb));
    assert_eq!(ids("since=busybox"), line(second));
    assert_eq!(ids("dangling=true"), "");
    assert_eq!(
        ids("dangling=false"),
        format!("{}{}", line(second), line(bb))
    );
    env.berth(["untag", "second"]).assert_success();
    assert_eq!(ids("dangling=true"), line(second));
    // Several filters of one kind are ORed (Docker), different kinds ANDed.
    env.berth(["tag", "busybox", "other:1"]).assert_success();
    let out = env
        .berth([
            "images",
            "--format",
            "{{.Repository}}:{{.Tag}}",
            "--filter",
            "reference=busybox",
            "--filter",
            "reference=other",
        ])
        .assert_success();
    let mut got = out.lines();
    got.sort();
    assert_eq!(got, ["busybox:latest", "other:1"]);
    env.berth(["images", "--filter", "nosuchfilter=1"])
        .assert_error()
        .stderr_contains("nosuchfilter");
    env.berth(["images", "--filter", "before=nosuch"])
        .assert_error()
        .stderr_contains("nosuch");
});

both_modes!(tag_and_inspect, |env| {
    let bb = fixtures::busybox();
    env.load(bb);
    let name = env.name("mybox");
    env.berth(["tag", "busybox:latest", &format!("{name}:1")])
        .assert_success()
        .stdout_empty();
    env.berth([
        "tag",
        "busybox",
        &format!("{name}:2"),
        &format!("localhost:5000/{name}:3"),
    ])
    .assert_success();
    let mut want = vec![
        "busybox:latest".to_string(),
        format!("{name}:1"),
        format!("{name}:2"),
        format!("localhost:5000/{name}:3"),
    ];
    want.sort();
    assert_eq!(names(env), want);
    env.berth([
        "image",
        "inspect",
        &format!("{name}:1"),
        "--format",
        "{{.Config.Cmd}}",
    ])
    .assert_success()
    .stdout_is("[sh]\n");
    env.berth([
        "image",
        "inspect",
        "--format",
        "{{json .Config.Cmd}}",
        &format!("{name}:1"),
    ])
    .assert_success()
    .stdout_is("[\"sh\"]\n");
    env.berth([
        "image",
        "inspect",
        "--format",
        "{{.Id}}",
        &format!("localhost:5000/{name}:3"),
    ])
    .assert_success()
    .stdout_is(&format!("{}\n", bb.id));
    // By id, short id and digest-prefixed id.
    for r in [bb.id.as_str(), bb.hex(), bb.short_id()] {
        env.berth(["image", "inspect", "--format", "{{.Id}}", r])
            .assert_success()
            .stdout_is(&format!("{}\n", bb.id));
    }
    // Retagging a name moves it.
    let second = fixtures::second();
    env.load(second);
    env.berth(["tag", "second", &format!("{name}:1")])
        .assert_success();
    env.berth([
        "image",
        "inspect",
        "--format",
        "{{.Id}}",
        &format!("{name}:1"),
    ])
    .assert_success()
    .stdout_is(&format!("{}\n", second.id));
});

both_modes!(tag_rejects_bad_input, |env| {
    env.load(fixtures::busybox());
    let before = env.store_snapshot();
    env.berth(["tag", "busybox", "Bad:Tag!"])
        .assert_error()
        .stderr_contains("Bad:Tag!");
    // (`UPPER/case` would be valid: Docker reads an upper-case first component as a registry.)
    env.berth(["tag", "busybox", "upper/CASE"])
        .assert_error()
        .stderr_contains("upper/CASE");
    env.berth(["tag", "busybox", "x:"]).assert_error();
    env.berth(["tag", "busybox", &format!("x:{}", "t".repeat(129))])
        .assert_error();
    env.berth(["tag", "nosuchimage", "x:1"])
        .assert_error()
        .stderr_contains("nosuchimage");
    env.berth(["tag", "busybox"]).assert_exit(125);
    env.assert_store_is(&before, "rejected tags");
});

both_modes!(inspect_is_docker_shaped, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let out = env.berth(["image", "inspect", "busybox"]).assert_success();
    assert!(
        out.stdout
            .starts_with("[\n    {\n        \"Id\": \"sha256:"),
        "JSON array with 4-space indent, Id first:\n{}",
        out.stdout
    );
    let v = inspect(env, "busybox");
    assert_eq!(v["Id"], bb.id.as_str());
    assert_eq!(v["RepoTags"], serde_json::json!(["busybox:latest"]));
    assert!(
        v["RepoDigests"].is_array(),
        "RepoDigests: {}",
        v["RepoDigests"]
    );
    assert_eq!(v["Architecture"], fixtures::host_arch());
    assert_eq!(v["Os"], "linux");
    assert!(
        v["Created"]
            .as_str()
            .is_some_and(|c| c.starts_with("2024-01-01T00:00:00")),
        "Created: {}",
        v["Created"]
    );
    let size = v["Size"].as_u64().expect("Size is a number");
    let busybox_size = std::fs::metadata(fixtures::BUSYBOX).unwrap().len();
    assert!(
        size >= busybox_size && size <= bb.layer_sizes[0] * 2,
        "Size {size}"
    );
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["sh"]));
    assert_eq!(v["Config"]["Env"], bb.config["config"]["Env"]);
    assert_eq!(v["RootFS"]["Type"], "layers");
    assert_eq!(v["RootFS"]["Layers"], serde_json::json!(bb.diff_ids));

    let s = inspect(env, "second");
    let c = &s["Config"];
    assert_eq!(c["Cmd"], serde_json::json!(["cat", "/hello"]));
    assert_eq!(c["User"], "nobody");
    assert_eq!(c["WorkingDir"], "/tmp");
    assert_eq!(c["StopSignal"], "SIGINT");
    assert_eq!(c["Labels"]["org.example.fixture"], "second");
    assert_eq!(c["Labels"]["org.example.empty"], "");
    assert!(c["ExposedPorts"].get("8080/tcp").is_some(), "{c}");
    assert!(c["Volumes"].get("/data").is_some(), "{c}");
    assert_eq!(s["RootFS"]["Layers"], serde_json::json!(second.diff_ids));

    // Several images: one object each, in argument order.
    let both = env
        .berth(["image", "inspect", "second", "busybox"])
        .assert_success()
        .json();
    assert_eq!(both[0]["Id"], second.id.as_str());
    assert_eq!(both[1]["Id"], bb.id.as_str());
    env.berth([
        "image",
        "inspect",
        "--format",
        "{{.Os}}/{{.Architecture}} {{.Config.Labels}}",
        "second",
    ])
    .assert_success()
    .stdout_is(&format!(
        "linux/{} map[org.example.empty: org.example.fixture:second]\n",
        fixtures::host_arch()
    ));
    // A missing image is an error naming it; the others are still printed (Docker).
    let out = env
        .berth(["image", "inspect", "busybox", "nosuchimage"])
        .assert_error();
    let out = out.stderr_contains("nosuchimage");
    assert!(
        out.stdout.contains(&bb.id),
        "the found image is still printed:\n{}",
        out.stdout
    );
});

both_modes!(history_lists_layers_newest_first, |env| {
    let second = fixtures::second();
    env.load(second);
    let out = env.berth(["history", "second"]).assert_success();
    let lines = out.lines();
    assert!(
        lines[0].starts_with("IMAGE          CREATED")
            && lines[0].contains("CREATED BY")
            && lines[0].contains("SIZE")
            && lines[0].contains("COMMENT"),
        "header: {:?}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + second.history.len(), "{}", out.stdout);
    let by = env
        .berth([
            "history",
            "--no-trunc",
            "--format",
            "{{.CreatedBy}}",
            "second",
        ])
        .assert_success();
    let mut want: Vec<&str> = second.history.iter().map(String::as_str).collect();
    want.reverse();
    assert_eq!(by.lines(), want);
    let ids = env
        .berth(["history", "--no-trunc", "-q", "second"])
        .assert_success();
    assert_eq!(ids.lines()[0], second.id, "the top row is the image");
    let ids = env.berth(["history", "-q", "second"]).assert_success();
    assert_eq!(ids.lines()[0], second.short_id());
    env.berth(["history", "nosuchimage"])
        .assert_error()
        .stderr_contains("nosuchimage");
});

both_modes!(rmi_untags_then_deletes, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    let empty = env.store_snapshot();
    env.load(bb);
    env.load(second);
    env.berth(["tag", "busybox", "mybox:1"]).assert_success();
    env.berth(["rmi", "mybox:1"])
        .assert_success()
        .stdout_is("Untagged: mybox:1\n");
    env.berth(["image", "exists", "busybox"]).assert_success();
    let out = env.berth(["rmi", "busybox"]).assert_success();
    let lines = out.lines();
    assert_eq!(lines[0], "Untagged: busybox:latest", "{}", out.stdout);
    assert!(
        lines.contains(&format!("Deleted: {}", bb.id).as_str()),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("Untagged: ") || l.starts_with("Deleted: sha256:")),
        "{}",
        out.stdout
    );
    // second shares busybox's layer: it must still be complete.
    assert_eq!(names(env), ["second:latest"]);
    env.berth(["save", "-o"])
        .arg(env.path("second.tar"))
        .arg("second")
        .assert_success();
    // Removing by id, several tags, with -f (Docker refuses without -f: more than one repository).
    env.berth(["tag", "second", "again:1"]).assert_success();
    env.berth(["rmi", "-f", second.short_id()])
        .assert_success()
        .stdout_contains(&format!("Deleted: {}", second.id));
    env.berth(["images", "-q", "-a"])
        .assert_success()
        .stdout_empty();
    // Nothing left behind: no blob, layer or record.
    env.assert_store_is(&empty, "removing every image");
});

both_modes!(rmi_errors, |env| {
    env.load(fixtures::busybox());
    let before = env.store_snapshot();
    env.berth(["rmi", "nosuchimage"])
        .assert_error()
        .stderr_contains("nosuchimage");
    env.berth(["image", "rm", "nosuchimage:1"])
        .assert_error()
        .stderr_contains("nosuchimage:1");
    env.assert_store_is(&before, "rmi of a missing image");
    // Every target is tried; one failure does not stop the rest, and fails the command.
    let out = env.berth(["rmi", "nosuchimage", "busybox"]).assert_error();
    out.stderr_contains("nosuchimage")
        .stdout_contains("Untagged: busybox:latest");
    env.berth(["image", "exists", "busybox"]).assert_exit(1);
});

both_modes!(untag, |env| {
    let bb = fixtures::busybox();
    env.load(bb);
    env.berth(["tag", "busybox", "a:1", "b:2"]).assert_success();
    env.berth(["untag", "busybox", "a:1"]).assert_success();
    assert_eq!(names(env), ["b:2", "busybox:latest"]);
    env.berth(["untag", "busybox"]).assert_success();
    env.berth(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])
        .assert_success()
        .stdout_is(&format!("<none>:<none> {}\n", bb.short_id()));
    env.berth(["untag", "nosuchimage"])
        .assert_error()
        .stderr_contains("nosuchimage");
});

both_modes!(image_exists, |env| {
    env.berth(["image", "exists", "busybox"])
        .assert_exit(1)
        .stdout_empty()
        .stderr_empty();
    env.load(fixtures::busybox());
    env.berth(["image", "exists", "busybox"])
        .assert_success()
        .stdout_empty()
        .stderr_empty();
    env.berth(["image", "exists", "busybox:latest"])
        .assert_success();
    env.berth(["image", "exists", "docker.io/library/busybox:latest"])
        .assert_success();
    env.berth(["image", "exists", fixtures::busybox().short_id()])
        .assert_success();
    env.berth(["image", "exists", "busybox:other"])
        .assert_exit(1)
        .stdout_empty();
});

both_modes!(save_load_round_trip, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let docker = env.path("both.tar");
    let oci = env.path("both-oci.tar");
    env.berth(["save", "-o"])
        .arg(&docker)
        .args(["busybox", "second"])
        .assert_success();
    env.berth(["save", "--format", "oci-archive", "-o"])
        .arg(&oci)
        .args(["busybox", "second"])
        .assert_success();
    let stdout = env.berth(["save", "busybox"]).assert_success();
    assert!(
        stdout.stdout_bytes.len() > 1_000_000,
        "save writes the archive to stdout"
    );
    let entries = tarball::entries(&stdout.stdout_bytes);
    assert!(
        entries.iter().any(|e| e.path == "manifest.json"),
        "docker-archive by default"
    );

    for (what, archive) in [
        ("docker-archive", Some(&docker)),
        ("oci-archive", Some(&oci)),
        ("stdout", None),
    ] {
        let fresh = TestEnv::new(env.mode, &format!("save_load_round_trip_{what}"));
        let cmd = fresh.berth(["load"]);
        let cmd = match archive {
            Some(a) => cmd.arg("-i").arg(a),
            None => cmd.stdin(stdout.stdout_bytes.clone()),
        };
        cmd.assert_success()
            .stdout_contains("Loaded image: busybox:latest");
        for img in if archive.is_some() {
            vec![bb, second]
        } else {
            vec![bb]
        } {
            fresh
                .berth([
                    "image",
                    "inspect",
                    "--format",
                    "{{.Id}} {{json .RootFS.Layers}}",
                    &img.reference,
                ])
                .assert_success()
                .stdout_is(&format!(
                    "{} {}\n",
                    img.id,
                    serde_json::to_string(&img.diff_ids).unwrap()
                ));
        }
    }
    // The docker-archive has Docker's shape.
    let entries = tarball::entries(&std::fs::read(&docker).unwrap());
    let manifest = entries
        .iter()
        .find(|e| e.path == "manifest.json")
        .expect("manifest.json");
    let m: serde_json::Value = serde_json::from_slice(&manifest.data).unwrap();
    assert_eq!(m.as_array().unwrap().len(), 2);
    // Docker writes the familiar name, Podman the full one; both load everywhere.
    let tags = &m[0]["RepoTags"];
    assert!(
        *tags == serde_json::json!(["busybox:latest"])
            || *tags == serde_json::json!(["docker.io/library/busybox:latest"]),
        "RepoTags: {tags}"
    );
    assert_eq!(
        m[0]["Config"]
            .as_str()
            .unwrap()
            .trim_end_matches(".json")
            .trim_start_matches("blobs/sha256/"),
        bb.hex()
    );
    assert!(
        entries.iter().any(|e| e.path == "repositories"),
        "repositories file"
    );
    // The oci-archive is an OCI layout.
    let entries = tarball::entries(&std::fs::read(&oci).unwrap());
    assert!(entries.iter().any(|e| e.path == "oci-layout"));
    assert!(entries.iter().any(|e| e.path == "index.json"));
    env.berth(["save", "-o"])
        .arg(env.path("x.tar"))
        .arg("nosuchimage")
        .assert_error()
        .stderr_contains("nosuchimage");
    env.berth(["save", "--format", "bogus", "-o"])
        .arg(env.path("y.tar"))
        .arg("busybox")
        .assert_error()
        .stderr_contains("bogus");
});

both_modes!(import_tarball_with_changes, |env| {
    let bb = fixtures::busybox();
    let name = env.name("imported");
    let out = env
        .berth(["import"])
        .arg(&bb.layer_tars[0])
        .arg(&name)
        .args([
            "--change",
            "CMD [\"/bin/sh\"]",
            "--change",
            "ENV A=1",
            "-c",
            "LABEL x=y",
            "-c",
            "EXPOSE 80/tcp",
        ])
        .args([
            "-c",
            "USER nobody",
            "-c",
            "WORKDIR /tmp",
            "-c",
            "VOLUME /v",
            "-c",
            "STOPSIGNAL SIGKILL",
        ])
        .args([
            "-c",
            "ENTRYPOINT [\"/bin/busybox\"]",
            "-m",
            "imported by a test",
        ])
        .assert_success();
    let id = out.trimmed().to_string();
    assert!(
        id.starts_with("sha256:") && id.len() == 71,
        "import prints the new id: {:?}",
        out.stdout
    );
    let v = inspect(env, &name);
    assert_eq!(v["Id"], id.as_str());
    assert_eq!(v["RepoTags"], serde_json::json!([format!("{name}:latest")]));
    let c = &v["Config"];
    assert_eq!(c["Cmd"], serde_json::json!(["/bin/sh"]));
    assert_eq!(c["Entrypoint"], serde_json::json!(["/bin/busybox"]));
    assert!(
        c["Env"].as_array().unwrap().iter().any(|e| e == "A=1"),
        "{c}"
    );
    assert_eq!(c["Labels"]["x"], "y");
    assert!(c["ExposedPorts"].get("80/tcp").is_some(), "{c}");
    assert_eq!(c["User"], "nobody");
    assert_eq!(c["WorkingDir"], "/tmp");
    assert!(c["Volumes"].get("/v").is_some(), "{c}");
    assert_eq!(c["StopSignal"], "SIGKILL");
    // One layer: the tarball, uncompressed digest = diff id.
    assert_eq!(v["RootFS"]["Layers"], serde_json::json!([bb.diff_ids[0]]));
    env.berth(["history", "--format", "{{.Comment}}", &name])
        .assert_success()
        .stdout_contains("imported by a test");

    // From stdin, gzip-compressed, no reference: untagged.
    let out = env
        .berth(["import", "-"])
        .stdin(std::fs::read(&bb.layer_gzips[0]).unwrap())
        .assert_success();
    let id2 = out.trimmed().to_string();
    assert!(id2.starts_with("sha256:"), "{id2}");
    env.berth([
        "image",
        "inspect",
        "--format",
        "{{json .RootFS.Layers}}",
        &id2,
    ])
    .assert_success()
    .stdout_is(&format!("[\"{}\"]\n", bb.diff_ids[0]));

    let before = env.store_snapshot();
    env.berth(["import", "-c", "FROBNICATE x"])
        .arg(&bb.layer_tars[0])
        .assert_error()
        .stderr_contains("FROBNICATE");
    env.berth(["import"])
        .arg(env.path("missing.tar"))
        .assert_error()
        .stderr_contains("missing.tar");
    env.berth(["import", "-", "x"])
        .stdin(b"this is not a tarball".to_vec())
        .assert_error();
    env.berth(["import"])
        .arg(&bb.layer_tars[0])
        .arg("Bad:Tag!")
        .assert_error()
        .stderr_contains("Bad:Tag!");
    env.assert_store_is(&before, "failed imports");
});

both_modes!(image_prune, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    // Nothing dangling: nothing removed.
    env.berth(["image", "prune", "-f"])
        .assert_success()
        .stdout_lacks("sha256:");
    env.berth(["untag", "second"]).assert_success();
    let out = env.berth(["image", "prune", "-f"]).assert_success();
    out.stdout_contains("Deleted Images:")
        .stdout_contains(&second.id)
        .stdout_contains("Total reclaimed space:");
    assert_eq!(names(env), ["busybox:latest"]);
    env.berth(["image", "exists", bb.short_id()])
        .assert_success();
    let out = env
        .berth(["image", "prune", "-a", "--force"])
        .assert_success();
    out.stdout_contains(&bb.id)
        .stdout_contains("Total reclaimed space:");
    env.berth(["images", "-q", "-a"])
        .assert_success()
        .stdout_empty();
});

both_modes!(big_image_load_save, |env| {
    let big = fixtures::big();
    env.berth(["load", "-i"])
        .arg(&big.docker_archive)
        .assert_success()
        .stdout_is("Loaded image: big:latest\n");
    let out = env.path("big-out.tar");
    env.berth(["save", "--format", "oci-archive", "-o"])
        .arg(&out)
        .arg("big")
        .assert_success();
    let fresh = TestEnv::new(env.mode, "big_image_load_save_fresh");
    fresh.berth(["load", "-i"]).arg(&out).assert_success();
    fresh
        .berth([
            "image",
            "inspect",
            "--format",
            "{{.Id}} {{json .RootFS.Layers}}",
            "big",
        ])
        .assert_success()
        .stdout_is(&format!(
            "{} {}\n",
            big.id,
            serde_json::to_string(&big.diff_ids).unwrap()
        ));
    let size = fresh
        .berth(["image", "inspect", "--format", "{{.Size}}", "big"])
        .assert_success();
    let size: u64 = size.trimmed().parse().expect("Size is a number");
    assert!(
        size > big.layer_sizes[0] / 2,
        "Size {size} vs layer tar {}",
        big.layer_sizes[0]
    );
});

both_modes!(layer_compressions_and_media_types, |env| {
    use fixtures::Parts;
    let tar = std::fs::read(&fixtures::busybox().layer_tars[0]).unwrap();
    let mut hello = tarball::TarBuilder::new();
    hello.file("hello", 0o644, b"hi\n");
    let hello = hello.finish();
    let zstd = |b: &[u8]| zstd::encode_all(b, 3).unwrap();
    let cases: Vec<(&str, Parts)> = vec![
        ("uncompressed", {
            let mut p = Parts::oci();
            p.layers.push((
                "application/vnd.oci.image.layer.v1.tar",
                tar.clone(),
                tar.clone(),
            ));
            p
        }),
        ("zstd", {
            let mut p = Parts::oci();
            p.layers.push((
                "application/vnd.oci.image.layer.v1.tar+zstd",
                zstd(&tar),
                tar.clone(),
            ));
            p
        }),
        ("mixed", {
            let mut p = Parts::oci();
            p.layers.push((
                "application/vnd.oci.image.layer.v1.tar+gzip",
                tarball::gzip(&tar),
                tar.clone(),
            ));
            p.layers.push((
                "application/vnd.oci.image.layer.v1.tar+zstd",
                zstd(&hello),
                hello.clone(),
            ));
            p.layers.push((
                "application/vnd.oci.image.layer.v1.tar",
                hello.clone(),
                hello.clone(),
            ));
            p
        }),
        ("docker schema 2", {
            let mut p = Parts::oci();
            p.manifest_media_type = fixtures::DOCKER_MANIFEST;
            p.config_media_type = fixtures::DOCKER_CONFIG;
            p.layers.push((
                "application/vnd.docker.image.rootfs.diff.tar.gzip",
                tarball::gzip(&tar),
                tar.clone(),
            ));
            p
        }),
    ];
    for (i, (what, parts)) in cases.iter().enumerate() {
        let name = format!("custom{i}:latest");
        let out = env.berth(["load"]).stdin(parts.oci_archive(&name)).run();
        assert_eq!(out.code, Some(0), "{what}: {}", out.stderr);
        let (_, id) = parts.config_bytes();
        let diff_ids: Vec<String> = parts
            .layers
            .iter()
            .map(|(_, _, t)| tarball::digest(t))
            .collect();
        env.berth([
            "image",
            "inspect",
            "--format",
            "{{.Id}} {{json .RootFS.Layers}}",
            &name,
        ])
        .assert_success()
        .stdout_is(&format!(
            "{id} {}\n",
            serde_json::to_string(&diff_ids).unwrap()
        ));
        // And it saves again, in both formats.
        env.berth(["save", "-o"])
            .arg(env.path(&format!("c{i}.tar")))
            .arg(&name)
            .assert_success();
        env.berth(["save", "--format", "oci-archive", "-o"])
            .arg(env.path(&format!("c{i}-oci.tar")))
            .arg(&name)
            .assert_success();
    }
});
