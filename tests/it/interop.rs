//! Interoperability with the real peers: what `berth save` writes loads in `podman load` and
//! reads in `skopeo inspect`; what `podman save` writes loads in berth with the same image id and
//! layer diff ids. Podman runs with a private store and config in the test's TestEnv.

use crate::support::fixtures::{self, Image};
use crate::support::{Need, TestEnv};

fn need_podman(env: &TestEnv) -> bool {
    crate::support::require(Need::Tool("podman"))
        && (!env.rootless() || crate::support::require(Need::SubUid))
}

/// `(id, diff ids)` of an image as Podman sees it.
fn podman_image(env: &TestEnv, name: &str) -> (String, Vec<String>) {
    let out = env
        .podman([
            "image",
            "inspect",
            "--format",
            "{{.ID}} {{json .RootFS.Layers}}",
            name,
        ])
        .assert_success();
    let (id, layers) = out.trimmed().split_once(' ').expect("id and layers");
    (
        format!("sha256:{id}"),
        serde_json::from_str(layers).unwrap(),
    )
}

/// `(id, diff ids)` of an image as berth sees it.
fn berth_image(env: &TestEnv, name: &str) -> (String, Vec<String>) {
    let out = env
        .berth([
            "image",
            "inspect",
            "--format",
            "{{.Id}} {{json .RootFS.Layers}}",
            name,
        ])
        .assert_success();
    let (id, layers) = out.trimmed().split_once(' ').expect("id and layers");
    (id.to_string(), serde_json::from_str(layers).unwrap())
}

fn expect(img: &Image) -> (String, Vec<String>) {
    (img.id.clone(), img.diff_ids.clone())
}

both_modes!(berth_save_loads_in_podman, |env| {
    if !need_podman(env) {
        return;
    }
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let docker = env.path("berth-docker.tar");
    env.berth(["save", "-o"])
        .arg(&docker)
        .args(["busybox", "second"])
        .assert_success();
    env.podman(["load", "-i"]).arg(&docker).assert_success();
    assert_eq!(podman_image(env, bb.hex()), expect(bb));
    assert_eq!(podman_image(env, second.hex()), expect(second));
    let names = env
        .podman(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success();
    assert!(
        names.stdout.contains("busybox:latest") && names.stdout.contains("second:latest"),
        "{}",
        names.stdout
    );

    let oci = env.path("berth-oci.tar");
    env.berth(["save", "--format", "oci-archive", "-o"])
        .arg(&oci)
        .arg("second")
        .assert_success();
    env.podman(["rmi", "-a", "-f"]).assert_success();
    env.podman(["load", "-i"]).arg(&oci).assert_success();
    assert_eq!(podman_image(env, second.hex()), expect(second));
});

both_modes!(skopeo_reads_berth_archives, |env| {
    require!(Need::Tool("skopeo"));
    let second = fixtures::second();
    env.load(second);
    let docker = env.path("s-docker.tar");
    let oci = env.path("s-oci.tar");
    env.berth(["save", "-o"])
        .arg(&docker)
        .arg("second")
        .assert_success();
    env.berth(["save", "--format", "oci-archive", "-o"])
        .arg(&oci)
        .arg("second")
        .assert_success();
    for reference in [
        format!("docker-archive:{}", docker.display()),
        format!("oci-archive:{}", oci.display()),
    ] {
        let raw = env
            .command("skopeo", ["inspect", "--raw", "--config", &reference])
            .assert_success();
        assert_eq!(
            crate::support::tarball::digest(&raw.stdout_bytes),
            second.id,
            "{reference}: config kept byte for byte"
        );
        let cfg = raw.json();
        assert_eq!(
            cfg["rootfs"]["diff_ids"],
            serde_json::json!(second.diff_ids),
            "{reference}"
        );
        let info = env
            .command("skopeo", ["inspect", &reference])
            .assert_success()
            .json();
        assert_eq!(info["Os"], "linux", "{reference}");
        assert_eq!(info["Architecture"], fixtures::host_arch(), "{reference}");
        assert_eq!(
            info["Layers"].as_array().map(Vec::len),
            Some(second.diff_ids.len()),
            "{reference}"
        );
        // skopeo can copy it out again, verifying every digest on the way.
        let dir = env.path(&format!("copy-{}", crate::support::random_hex(4)));
        env.command("skopeo", ["copy", &reference])
            .arg(format!("oci:{}", dir.display()))
            .assert_success();
    }
    // An oci-archive straight from a load of our OCI fixture keeps the registry bytes: same
    // manifest digest.
    let fresh = TestEnv::new(env.mode, "skopeo_reads_berth_archives_oci");
    fresh
        .berth(["load", "-i"])
        .arg(&second.oci_archive)
        .assert_success();
    let again = fresh.path("again.tar");
    fresh
        .berth(["save", "--format", "oci-archive", "-o"])
        .arg(&again)
        .arg("second")
        .assert_success();
    let info = fresh
        .command("skopeo", ["inspect"])
        .arg(format!("oci-archive:{}", again.display()))
        .assert_success()
        .json();
    assert_eq!(
        info["Digest"],
        second.manifest_digest.as_str(),
        "manifest kept byte for byte"
    );
});

both_modes!(podman_save_loads_in_berth, |env| {
    if !need_podman(env) {
        return;
    }
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.podman(["load", "-i"])
        .arg(&bb.docker_archive)
        .assert_success();
    env.podman(["load", "-i"])
        .arg(&second.oci_archive)
        .assert_success();
    env.podman(["tag", bb.hex(), "docker.io/library/pbox:1"])
        .assert_success();
    env.podman(["tag", second.hex(), "quay.io/example/psecond:2"])
        .assert_success();

    let docker = env.path("p-docker.tar");
    env.podman(["save", "--format", "docker-archive", "-o"])
        .arg(&docker)
        .arg("docker.io/library/pbox:1")
        .assert_success();
    env.berth(["load", "-i"])
        .arg(&docker)
        .assert_success()
        .stdout_is("Loaded image: pbox:1\n");
    assert_eq!(
        berth_image(env, "pbox:1"),
        podman_image(env, "docker.io/library/pbox:1")
    );
    assert_eq!(berth_image(env, "pbox:1"), expect(bb));

    let oci = env.path("p-oci.tar");
    env.podman(["save", "--format", "oci-archive", "-o"])
        .arg(&oci)
        .arg("quay.io/example/psecond:2")
        .assert_success();
    env.berth(["load", "-i"]).arg(&oci).assert_success();
    assert_eq!(
        berth_image(env, second.hex()),
        podman_image(env, "quay.io/example/psecond:2")
    );

    // A multi-image docker-archive.
    let multi = env.path("p-multi.tar");
    env.podman(["save", "-m", "-o"])
        .arg(&multi)
        .args(["docker.io/library/pbox:1", "quay.io/example/psecond:2"])
        .assert_success();
    let fresh = TestEnv::new(env.mode, "podman_save_loads_in_berth_multi");
    let out = fresh.berth(["load", "-i"]).arg(&multi).assert_success();
    let mut lines = out.lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "Loaded image: pbox:1",
            "Loaded image: quay.io/example/psecond:2"
        ]
    );
    let ids = fresh.berth(["images", "--no-trunc", "-q"]).assert_success();
    let podman_ids = env
        .podman(["images", "--no-trunc", "--format", "{{.ID}}"])
        .assert_success();
    let norm = |s: &str| {
        let mut v: Vec<String> = s
            .lines()
            .map(|l| format!("sha256:{}", l.trim_start_matches("sha256:")))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(norm(&ids.stdout), norm(&podman_ids.stdout));
});
