//! Bad input and store integrity: corrupt, truncated and tampered archives, unknown media types,
//! hostile layers, hand-damaged image records, concurrent and interrupted loads. Each failure is
//! `Error: …` with exit 125 and leaves the store exactly as it was (SECURITY.md I7, I9, I16).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::fixtures::{self, Image};
use crate::support::tarball::{self, Entry, TarBuilder};
use crate::support::{TestEnv, list_files};

/// Loads `bytes` as an archive from stdin and expects berth's error, the store unchanged.
#[track_caller]
fn load_fails(env: &TestEnv, bytes: Vec<u8>, what: &str) -> crate::support::Output {
    let before = env.store_snapshot();
    let out = env.berth(["load"]).stdin(bytes).run();
    assert!(
        out.code == Some(125) && out.stderr.contains("Error: "),
        "loading {what}: expected `Error: …` and exit 125, got {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.code,
        out.stdout,
        out.stderr
    );
    env.assert_store_is(&before, what);
    out
}

/// The fixture's docker-archive with the layer's /etc/passwd changed: a valid tar whose digest
/// no longer matches the config's diff_id.
fn tampered_layer_docker_archive(img: &Image) -> Vec<u8> {
    let layer_name = format!(
        "{}/layer.tar",
        img.diff_ids[0].trim_start_matches("sha256:")
    );
    tarball::rewrite(&img.docker_archive_bytes(), |e| {
        if e.path == layer_name {
            e.data = tarball::rewrite(&e.data, |inner| {
                if inner.path == "etc/passwd" {
                    inner.data = b"root:x:0:0:pwned:/root:/bin/sh\n".to_vec();
                }
                true
            });
        }
        true
    })
}

fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))
}

/// The fixture's oci-archive with the manifest changed by `f` and re-addressed (new digest,
/// index.json updated), so only what `f` did is wrong.
fn oci_archive_with_manifest(img: &Image, f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut manifest: Value = serde_json::from_slice(&img.manifest_bytes()).unwrap();
    f(&mut manifest);
    let bytes = serde_json::to_vec(&manifest).unwrap();
    let digest = tarball::digest(&bytes);
    let old = blob_path(&img.manifest_digest);
    let mut list: Vec<Entry> = tarball::entries(&img.oci_archive_bytes())
        .into_iter()
        .filter(|e| e.path != old)
        .collect();
    for e in list.iter_mut() {
        if e.path == "index.json" {
            let mut idx: Value = serde_json::from_slice(&e.data).unwrap();
            idx["manifests"][0]["digest"] = json!(digest);
            idx["manifests"][0]["size"] = json!(bytes.len());
            e.data = serde_json::to_vec(&idx).unwrap();
        }
    }
    list.push(Entry {
        path: blob_path(&digest),
        kind: tar::EntryType::Regular,
        mode: 0o644,
        link: None,
        data: bytes,
    });
    tarball::write_entries(&list)
}

/// A docker-archive of one image made of these layer tars (config and ids computed).
fn docker_archive_of_layers(layers: &[Vec<u8>], tag: &str) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| tarball::digest(l)).collect();
    let config = json!({
        "architecture": fixtures::host_arch(),
        "os": "linux",
        "config": { "Cmd": ["sh"] },
        "created": "2024-01-01T00:00:00Z",
        "rootfs": { "type": "layers", "diff_ids": diff_ids },
    });
    let config = serde_json::to_vec(&config).unwrap();
    let cfg_name = format!(
        "{}.json",
        tarball::digest(&config).trim_start_matches("sha256:")
    );
    let mut b = TarBuilder::new();
    b.file(&cfg_name, 0o644, &config);
    let mut names = Vec::new();
    for (l, d) in layers.iter().zip(&diff_ids) {
        let name = format!("{}/layer.tar", d.trim_start_matches("sha256:"));
        b.file(&name, 0o644, l);
        names.push(name);
    }
    let manifest = json!([{ "Config": cfg_name, "RepoTags": [tag], "Layers": names }]);
    b.file(
        "manifest.json",
        0o644,
        &serde_json::to_vec(&manifest).unwrap(),
    );
    b.finish()
}

both_modes!(truncated_and_garbage_archives, |env| {
    let bb = fixtures::busybox();
    env.load(fixtures::second());
    for (what, archive) in [
        ("docker-archive", bb.docker_archive_bytes()),
        ("oci-archive", bb.oci_archive_bytes()),
    ] {
        // Inside the first entry, inside the layer, near the end of the layer. (Not just the
        // end-of-archive blocks: an archive without them is complete and loads.)
        for cut in [700, archive.len() / 2, archive.len() * 3 / 4] {
            load_fails(
                env,
                archive[..cut].to_vec(),
                &format!("a truncated {what} ({cut} bytes)"),
            );
        }
    }
    load_fails(env, b"this is not an archive\n".repeat(100), "garbage");
    load_fails(env, Vec::new(), "empty input")
        .stderr_mentions_any(&["empty", "no image", "archive", "eof"]);
    load_fails(env, vec![0u8; 10240], "an empty tar");
    // A gzip-compressed archive of garbage.
    load_fails(env, tarball::gzip(&b"junk".repeat(1000)), "gzip garbage");
    // The error names the file when reading from one.
    let bad = env.write("not-an-archive.tar", b"nope");
    env.berth(["load", "-i"])
        .arg(&bad)
        .assert_error()
        .stderr_contains("not-an-archive.tar");
    env.berth(["load", "-i"])
        .arg(env.path("missing.tar"))
        .assert_error()
        .stderr_contains("missing.tar");
});

both_modes!(digest_mismatch_docker_archive, |env| {
    let bb = fixtures::busybox();
    load_fails(
        env,
        tampered_layer_docker_archive(bb),
        "a layer that does not match its diff_id",
    )
    .stderr_mentions_any(&["digest", "diff_id", "diff id", "mismatch"]);
    // The config changed under its name (the name is its digest).
    let cfg_name = format!("{}.json", bb.hex());
    let tampered = tarball::rewrite(&bb.docker_archive_bytes(), |e| {
        if e.path == cfg_name {
            e.data = String::from_utf8(e.data.clone())
                .unwrap()
                .replace("\"sh\"", "\"ash\"")
                .into_bytes();
        }
        true
    });
    load_fails(env, tampered, "a config that does not match its name").stderr_mentions_any(&[
        "digest",
        "mismatch",
        bb.short_id(),
    ]);
});

both_modes!(digest_mismatch_oci_archive, |env| {
    let bb = fixtures::busybox();
    // A layer blob whose bytes do not hash to its name, same size (one byte flipped).
    let layer = blob_path(&bb.layer_digests[0]);
    let tampered = tarball::rewrite(&bb.oci_archive_bytes(), |e| {
        if e.path == layer {
            let mid = e.data.len() / 2;
            e.data[mid] ^= 0x55;
        }
        true
    });
    load_fails(env, tampered, "a layer blob that does not match its digest")
        .stderr_mentions_any(&["digest", "mismatch", "corrupt", "checksum", "crc"]);
    // A different, valid layer under the old name (and size).
    let evil_layer = tarball::gzip(&tarball::rewrite(
        &std::fs::read(&bb.layer_tars[0]).unwrap(),
        |e| e.path != "etc/passwd",
    ));
    let tampered = tarball::rewrite(&bb.oci_archive_bytes(), |e| {
        if e.path == layer {
            e.data = evil_layer.clone();
        }
        true
    });
    load_fails(env, tampered, "another layer under the old name")
        .stderr_mentions_any(&["digest", "mismatch", "size", "larger", "smaller"]);
    // A correctly addressed blob whose uncompressed content is not the config's diff_id.
    let evil_digest = tarball::digest(&evil_layer);
    let mut archive = oci_archive_with_manifest(bb, |m| {
        m["layers"][0]["digest"] = json!(evil_digest);
        m["layers"][0]["size"] = json!(evil_layer.len());
    });
    archive = {
        let mut list = tarball::entries(&archive);
        list.push(Entry {
            path: blob_path(&evil_digest),
            kind: tar::EntryType::Regular,
            mode: 0o644,
            link: None,
            data: evil_layer.clone(),
        });
        tarball::write_entries(&list)
    };
    load_fails(
        env,
        archive,
        "a layer whose diff_id differs from the config's",
    )
    .stderr_mentions_any(&["diff_id", "diff id", "digest", "mismatch"]);
    // A descriptor size that lies.
    let archive = oci_archive_with_manifest(bb, |m| {
        m["layers"][0]["size"] = json!(10);
    });
    load_fails(env, archive, "a layer larger than its descriptor says")
        .stderr_mentions_any(&["size", "digest", "mismatch", "larger"]);
});

both_modes!(unknown_media_type, |env| {
    let bb = fixtures::busybox();
    let archive = oci_archive_with_manifest(bb, |m| {
        m["layers"][0]["mediaType"] = json!("application/vnd.example.unknown+tar");
    });
    load_fails(env, archive, "an unknown layer media type")
        .stderr_contains("application/vnd.example.unknown+tar");
    let archive = oci_archive_with_manifest(bb, |m| {
        m["config"]["mediaType"] = json!("application/vnd.example.config+json");
    });
    load_fails(env, archive, "an unknown config media type")
        .stderr_contains("application/vnd.example.config+json");
    // An index entry of an unknown type.
    let archive = tarball::rewrite(&bb.oci_archive_bytes(), |e| {
        if e.path == "index.json" {
            let mut idx: Value = serde_json::from_slice(&e.data).unwrap();
            idx["manifests"][0]["mediaType"] = json!("application/vnd.example.manifest+json");
            e.data = serde_json::to_vec(&idx).unwrap();
        }
        true
    });
    load_fails(env, archive, "an unknown manifest media type")
        .stderr_contains("application/vnd.example.manifest+json");
});

both_modes!(malformed_docker_archive_metadata, |env| {
    let bb = fixtures::busybox();
    let with_manifest = |m: &[u8]| {
        let m = m.to_vec();
        tarball::rewrite(&bb.docker_archive_bytes(), move |e| {
            if e.path == "manifest.json" {
                e.data = m.clone();
            }
            true
        })
    };
    load_fails(
        env,
        with_manifest(b"{not json"),
        "manifest.json that is not JSON",
    )
    .stderr_contains("manifest.json");
    load_fails(env, with_manifest(b"[]"), "manifest.json with no image");
    let missing = json!([{ "Config": format!("{}.json", bb.hex()), "RepoTags": ["busybox:latest"], "Layers": ["nosuchdir/layer.tar"] }]);
    load_fails(
        env,
        with_manifest(&serde_json::to_vec(&missing).unwrap()),
        "a missing layer file",
    )
    .stderr_contains("nosuchdir/layer.tar");
    let escape =
        json!([{ "Config": "../../../etc/passwd", "RepoTags": ["busybox:latest"], "Layers": [] }]);
    load_fails(
        env,
        with_manifest(&serde_json::to_vec(&escape).unwrap()),
        "a config path outside the archive",
    );
    let bad_tag = json!([{ "Config": format!("{}.json", bb.hex()), "RepoTags": ["Bad:Tag!"], "Layers": [format!("{}/layer.tar", bb.diff_ids[0].trim_start_matches("sha256:"))] }]);
    load_fails(
        env,
        with_manifest(&serde_json::to_vec(&bad_tag).unwrap()),
        "an invalid tag in RepoTags",
    )
    .stderr_contains("Bad:Tag!");
    // More layers listed than the config has diff_ids.
    let l = format!("{}/layer.tar", bb.diff_ids[0].trim_start_matches("sha256:"));
    let extra = json!([{ "Config": format!("{}.json", bb.hex()), "RepoTags": ["busybox:latest"], "Layers": [l.clone(), l] }]);
    load_fails(
        env,
        with_manifest(&serde_json::to_vec(&extra).unwrap()),
        "layers and diff_ids that disagree",
    );
    // Deeply nested JSON must not blow the stack (SECURITY.md I6: JSON depth cap).
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    load_fails(
        env,
        with_manifest(deep.as_bytes()),
        "deeply nested manifest.json",
    );
});

/// Markers outside the store that a hostile layer tries to write; writable by the user berth
/// runs as, so only berth's containment stops it.
struct Markers {
    dir: PathBuf,
}

impl Markers {
    fn new(env: &TestEnv) -> Markers {
        let dir =
            std::env::temp_dir().join(format!("berth-escape-{}", crate::support::random_hex(6)));
        std::fs::create_dir(&dir).unwrap();
        if let Some(u) = &env.user {
            std::os::unix::fs::chown(&dir, Some(u.uid), Some(u.gid)).unwrap();
        }
        Markers { dir }
    }

    fn assert_untouched(&self, what: &str) {
        let files = list_files(&self.dir);
        assert!(
            files.is_empty(),
            "{what} wrote outside the store: {files:?}"
        );
    }
}

impl Drop for Markers {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn rel_to_root(p: &Path) -> String {
    // Enough `..` to climb from any layer directory to /.
    format!(
        "{}{}",
        "../".repeat(12),
        p.display().to_string().trim_start_matches('/')
    )
}

both_modes!(hostile_layers_stay_inside, |env| {
    let m = Markers::new(env);
    let target = m.dir.display().to_string();
    let passwd_links = std::fs::metadata("/etc/passwd")
        .map(|md| std::os::unix::fs::MetadataExt::nlink(&md))
        .unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a ../ path", {
            let mut t = TarBuilder::new();
            t.raw(
                tar::EntryType::Regular,
                rel_to_root(&m.dir.join("dotdot")).as_bytes(),
                b"",
                0o644,
                b"x",
            );
            t.finish()
        }),
        ("an absolute path", {
            let mut t = TarBuilder::new();
            t.raw(
                tar::EntryType::Regular,
                format!("{target}/absolute").as_bytes(),
                b"",
                0o644,
                b"x",
            );
            t.finish()
        }),
        ("a file through an absolute symlink", {
            let mut t = TarBuilder::new();
            t.symlink("escape", &target);
            t.raw(
                tar::EntryType::Regular,
                b"escape/through-symlink",
                b"",
                0o644,
                b"x",
            );
            t.finish()
        }),
        ("a file through a relative symlink", {
            let mut t = TarBuilder::new();
            t.symlink("up", &rel_to_root(&m.dir));
            t.raw(
                tar::EntryType::Regular,
                b"up/through-relative",
                b"",
                0o644,
                b"x",
            );
            t.finish()
        }),
        ("a symlink chain", {
            let mut t = TarBuilder::new();
            t.dir("a/", 0o755);
            t.symlink("a/b", "../c");
            t.symlink("c", &target);
            t.raw(tar::EntryType::Regular, b"a/b/chain", b"", 0o644, b"x");
            t.finish()
        }),
        ("a directory through a symlink", {
            let mut t = TarBuilder::new();
            t.symlink("d", &target);
            t.raw(tar::EntryType::Directory, b"d/newdir/", b"", 0o755, b"");
            t.finish()
        }),
        ("a hardlink to a host file", {
            let mut t = TarBuilder::new();
            t.raw(tar::EntryType::Link, b"hl", b"/etc/passwd", 0o644, b"");
            t.raw(
                tar::EntryType::Link,
                b"hl2",
                rel_to_root(Path::new("/etc/passwd")).as_bytes(),
                0o644,
                b"",
            );
            t.finish()
        }),
        ("a whiteout pointing outside", {
            let mut t = TarBuilder::new();
            t.raw(
                tar::EntryType::Regular,
                rel_to_root(&m.dir.join(".wh.victim")).as_bytes(),
                b"",
                0o644,
                b"",
            );
            t.finish()
        }),
    ];
    // A victim file the whiteout case would delete.
    let victim = m.dir.join("victim");
    std::fs::write(&victim, b"keep me").unwrap();
    for (what, layer) in cases {
        let base = std::fs::read(&fixtures::busybox().layer_tars[0]).unwrap();
        let archive = docker_archive_of_layers(&[base, layer], "hostile:latest");
        let before = env.store_snapshot();
        let out = env.berth(["load"]).stdin(archive).run();
        match out.code {
            Some(0) => {}
            Some(125) => {
                assert!(out.stderr.contains("Error: "), "{what}: {}", out.stderr);
                env.assert_store_is(&before, what);
            }
            other => panic!(
                "{what}: expected success (contained) or exit 125, got {other:?}: {}",
                out.stderr
            ),
        }
        assert!(victim.exists(), "{what}: the whiteout deleted a host file");
        std::fs::remove_file(&victim).unwrap();
        m.assert_untouched(what);
        std::fs::write(&victim, b"keep me").unwrap();
        let now = std::fs::metadata("/etc/passwd")
            .map(|md| std::os::unix::fs::MetadataExt::nlink(&md))
            .unwrap();
        assert_eq!(passwd_links, now, "{what}: /etc/passwd got a new hard link");
        let _ = env.berth(["rmi", "-f", "hostile"]).run();
    }
});

both_modes!(huge_pax_header_fails_cleanly, |env| {
    // A PAX extended header of 8 MiB (SECURITY.md I6 caps them at 1 MiB).
    let mut t = TarBuilder::new();
    let value = "a".repeat(8 << 20);
    let record_body = format!(" path={value}\n");
    let mut len = record_body.len();
    loop {
        let total = len.to_string().len() + record_body.len();
        if total == len {
            break;
        }
        len = total;
    }
    let record = format!("{len}{record_body}");
    t.raw(
        tar::EntryType::XHeader,
        b"PaxHeaders/huge",
        b"",
        0o644,
        record.as_bytes(),
    );
    t.file("after", 0o644, b"x");
    let base = std::fs::read(&fixtures::busybox().layer_tars[0]).unwrap();
    let archive = docker_archive_of_layers(&[base, t.finish()], "pax:latest");
    load_fails(env, archive, "a huge PAX header").stderr_mentions_any(&[
        "pax",
        "header",
        "too large",
        "limit",
    ]);
});

fn find_record(env: &TestEnv, img: &Image) -> PathBuf {
    let dir = env.root.join("images");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(img.hex()))
        })
        .unwrap_or_else(|| panic!("no record for {} in {}", img.id, dir.display()))
}

both_modes!(images_survives_a_corrupt_record, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    std::fs::write(find_record(env, second), b"{\"this is\": not json").unwrap();
    env.berth(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success()
        .stdout_is("busybox:latest\n")
        .stderr_contains(second.short_id());
    // Other commands still work on the healthy image.
    env.berth(["image", "inspect", "--format", "{{.Id}}", "busybox"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.id));
    env.berth(["save", "-o"])
        .arg(env.path("bb.tar"))
        .arg("busybox")
        .assert_success();
    // And a fresh load repairs the damaged one.
    env.load(second);
    env.berth(["images", "-q"]).assert_success().stderr_empty();
});

// What `images` reports as broken can be removed by its id, taking its unused content along.
both_modes!(rmi_removes_a_broken_image, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    let only_busybox = env.store_snapshot();
    env.load(second);
    std::fs::write(find_record(env, second), b"{\"this is\": not json").unwrap();
    env.berth(["rmi", second.short_id()])
        .assert_success()
        .stdout_is(&format!("Deleted: {}\n", second.id));
    env.berth(["images", "-q"]).assert_success().stderr_empty();
    env.assert_store_is(&only_busybox, "removing an image with a corrupt record");
    // A record deleted by hand: the index still knows the id.
    env.load(second);
    std::fs::remove_file(find_record(env, second)).unwrap();
    env.berth(["rmi", &second.id])
        .assert_success()
        .stdout_is(&format!("Deleted: {}\n", second.id));
    env.assert_store_is(&only_busybox, "removing an image whose record was deleted");
    // An id that names nothing, broken or not, is still an error.
    env.berth(["rmi", "0123456789ab"])
        .assert_error()
        .stderr_contains("no such image: 0123456789ab");
});

both_modes!(images_survives_a_deleted_record, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    std::fs::remove_file(find_record(env, second)).unwrap();
    env.berth(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success()
        .stdout_is("busybox:latest\n")
        .stderr_contains(second.short_id());
    env.load(second);
    env.berth(["images", "-q"]).assert_success().stderr_empty();
});

both_modes!(parallel_loads, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    std::thread::scope(|s| {
        let a = s.spawn(|| {
            env.berth(["load", "-i"])
                .arg(&bb.docker_archive)
                .assert_success()
        });
        let b = s.spawn(|| {
            env.berth(["load", "-i"])
                .arg(&second.oci_archive)
                .assert_success()
        });
        a.join()
            .unwrap()
            .stdout_is("Loaded image: busybox:latest\n");
        b.join().unwrap().stdout_is("Loaded image: second:latest\n");
    });
    env.berth(["images", "--format", "{{.Repository}}"])
        .assert_success()
        .stdout_is("second\nbusybox\n");
    // The same image four times at once: all succeed, one image results.
    let fresh = TestEnv::new(env.mode, "parallel_loads_same");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    fresh
                        .berth(["load", "-i"])
                        .arg(&bb.docker_archive)
                        .assert_success()
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    fresh
        .berth(["images", "-q", "--no-trunc"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.id));
    env.berth(["images", "--format", "{{.Repository}}"])
        .assert_success()
        .stdout_is("second\nbusybox\n")
        .stderr_empty();
});

// A load that needs a blob while an rmi removes the last image using it (SECURITY.md I10: the
// dedup check and the commit happen under one lock). busybox and second share the gzip layer
// blob of their oci-archives.
both_modes!(load_races_rmi_of_an_image_sharing_its_blobs, |env| {
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    for round in 0..20 {
        env.berth(["load", "-i"])
            .arg(&second.oci_archive)
            .assert_success();
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| env.berth(["load", "-i"]).arg(&bb.oci_archive).run());
            let b = s.spawn(|| env.berth(["rmi", "second"]).run());
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(a.code, Some(0), "round {round}: load failed: {}", a.stderr);
        assert_eq!(b.code, Some(0), "round {round}: rmi failed: {}", b.stderr);
        env.berth(["images", "--format", "{{.Repository}}"])
            .assert_success()
            .stdout_is("busybox\n")
            .stderr_empty();
        // busybox is complete: it saves, and the archive loads elsewhere with the same id.
        let out = env.path(&format!("bb{round}.tar"));
        env.berth(["save", "--format", "oci-archive", "-o"])
            .arg(&out)
            .arg("busybox")
            .assert_success();
        env.berth(["rmi", "busybox"]).assert_success();
    }
});

both_modes!(interrupted_load_leaves_nothing_to_trip_over, |env| {
    let big = fixtures::big();
    // A clean load first, to compare with and to know how long a load takes here.
    let reference = TestEnv::new(env.mode, "interrupted_load_reference");
    let clean = reference
        .berth(["load", "-i"])
        .arg(&big.docker_archive)
        .assert_success();
    // Kill loads without warning at several points, then load again.
    for fraction in [0.1, 0.5, 0.9] {
        let mut child = env.berth(["load", "-i"]).arg(&big.docker_archive).spawn();
        std::thread::sleep(clean.elapsed.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
    }
    env.berth(["load", "-i"])
        .arg(&big.docker_archive)
        .assert_success();
    let strip = |s: String, e: &TestEnv| s.replace(&e.root.display().to_string(), "ROOT");
    assert_eq!(
        strip(reference.store_snapshot(), &reference),
        strip(env.store_snapshot(), env),
        "a load after killed loads must leave the same store as a clean load"
    );
    env.berth(["image", "prune", "-f"]).assert_success();
    env.berth(["image", "inspect", "--format", "{{.Id}}", "big"])
        .assert_success()
        .stdout_is(&format!("{}\n", big.id));
});

/// Maps a container uid or gid to the host id it has on disk.
type IdMap = Box<dyn Fn(u32) -> u32>;

/// The first subordinate id of `user` in `file` (/etc/subuid or /etc/subgid).
fn subid_start(file: &str, name: &str, id: u32) -> Option<u32> {
    std::fs::read_to_string(file).ok()?.lines().find_map(|l| {
        let mut f = l.split(':');
        let who = f.next()?;
        (who == name || who == id.to_string()).then(|| f.next()?.parse().ok())?
    })
}

/// Finds `rel` in any unpacked layer under `<root>/layers/` (DESIGN.md: `layers/<chain-id>/diff`).
fn find_in_layers(env: &TestEnv, rel: &str) -> PathBuf {
    let layers = env.root.join("layers");
    for e in std::fs::read_dir(&layers).unwrap_or_else(|e| panic!("{}: {e}", layers.display())) {
        let p = e.unwrap().path().join("diff").join(rel);
        if p.symlink_metadata().is_ok() {
            return p;
        }
    }
    panic!(
        "{rel} is in no layer under {}: {:?}",
        layers.display(),
        list_files(&layers)
    );
}

both_modes!(ownership_and_device_nodes, |env| {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    if env.rootless() {
        require!(crate::support::Need::SubUid);
    }
    let mut t = TarBuilder::new();
    t.file_owned("owned", 0o640, 1000, 1001, b"x");
    t.file_owned("nobody", 0o600, 65534, 65534, b"x");
    t.file_owned("rootfile", 0o644, 0, 0, b"x");
    t.device("null-dev", tar::EntryType::Char, 1, 3);
    let base = std::fs::read(&fixtures::busybox().layer_tars[0]).unwrap();
    env.berth(["load"])
        .stdin(docker_archive_of_layers(
            &[base, t.finish()],
            "owners:latest",
        ))
        .assert_success();
    // Map a container id to the host id it must have on disk.
    let (uid_of, gid_of): (IdMap, IdMap) = if env.rootless() {
        let (name, uid, gid) = match &env.user {
            Some(u) => (u.name.clone(), u.uid, u.gid),
            None => {
                let uid = nix::unistd::getuid().as_raw();
                let name = nix::unistd::User::from_uid(uid.into())
                    .unwrap()
                    .unwrap()
                    .name;
                (name, uid, nix::unistd::getgid().as_raw())
            }
        };
        let su = subid_start("/etc/subuid", &name, uid).unwrap();
        let sg = subid_start("/etc/subgid", &name, uid).unwrap();
        // Podman's mapping: 0 is the user, 1.. the subordinate range.
        (
            Box::new(move |id| if id == 0 { uid } else { su + id - 1 }),
            Box::new(move |id| if id == 0 { gid } else { sg + id - 1 }),
        )
    } else {
        (Box::new(|id| id), Box::new(|id| id))
    };
    for (file, uid, gid, mode) in [
        ("owned", 1000, 1001, 0o640),
        ("nobody", 65534, 65534, 0o600),
        ("rootfile", 0, 0, 0o644),
    ] {
        let md = find_in_layers(env, file).symlink_metadata().unwrap();
        assert_eq!(
            (md.uid(), md.gid()),
            (uid_of(uid), gid_of(gid)),
            "owner of {file}"
        );
        assert_eq!(md.mode() & 0o7777, mode, "mode of {file}");
    }
    if !env.rootless() {
        let md = find_in_layers(env, "null-dev").symlink_metadata().unwrap();
        assert!(
            md.file_type().is_char_device() && md.rdev() == nix::sys::stat::makedev(1, 3),
            "device node as root"
        );
    }
    // The image saves back with its layers byte for byte (device node included, even rootless).
    let out = env.path("owners.tar");
    env.berth(["save", "-o"])
        .arg(&out)
        .arg("owners")
        .assert_success();
    let id = env
        .berth(["image", "inspect", "--format", "{{.Id}}", "owners"])
        .assert_success();
    let fresh = TestEnv::new(env.mode, "ownership_and_device_nodes_fresh");
    fresh.berth(["load", "-i"]).arg(&out).assert_success();
    fresh
        .berth(["image", "inspect", "--format", "{{.Id}}", "owners"])
        .assert_success()
        .stdout_is(&id.stdout);
});
