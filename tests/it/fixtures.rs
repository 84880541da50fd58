//! Checks on the fixtures themselves, against the real peers: if these fail, the other tests'
//! verdicts mean nothing. No berth involved.

use crate::support::fixtures::{self, Image};
use crate::support::{Mode, Need, TestEnv, tarball};

fn check_skopeo(env: &TestEnv, img: &Image) {
    for (transport, path) in [
        ("docker-archive", &img.docker_archive),
        ("oci-archive", &img.oci_archive),
        ("oci", &img.oci_layout),
    ] {
        let out = env
            .command("skopeo", ["inspect", "--config"])
            .arg(format!("{transport}:{}", path.display()))
            .assert_success();
        let cfg = out.json();
        let diff_ids: Vec<String> =
            serde_json::from_value(cfg["rootfs"]["diff_ids"].clone()).unwrap();
        assert_eq!(diff_ids, img.diff_ids, "{transport}: diff ids");
        assert_eq!(
            cfg["config"]["Cmd"], img.config["config"]["Cmd"],
            "{transport}: Cmd"
        );
        // skopeo's own digest of the config equals our id.
        let raw = env
            .command("skopeo", ["inspect", "--raw", "--config"])
            .arg(format!("{transport}:{}", path.display()))
            .assert_success();
        assert_eq!(
            tarball::digest(&raw.stdout_bytes),
            img.id,
            "{transport}: config digest"
        );
    }
}

#[test]
fn busybox_layer_is_what_we_claim() {
    let img = fixtures::busybox();
    let layer = std::fs::read(&img.layer_tars[0]).unwrap();
    assert_eq!(tarball::digest(&layer), img.diff_ids[0]);
    let entries = tarball::entries(&layer);
    let find = |p: &str| {
        entries
            .iter()
            .find(|e| e.path.trim_end_matches('/') == p)
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    assert_eq!(find("bin/busybox").mode & 0o777, 0o755);
    assert_eq!(find("bin/sh").link.as_deref(), Some("busybox"));
    assert_eq!(find("tmp").mode & 0o7777, 0o1777);
    assert!(String::from_utf8_lossy(&find("etc/passwd").data).contains("nobody:x:65534"));
    assert!(entries.len() > 100, "applet links present");
    let gz = std::fs::read(&img.layer_gzips[0]).unwrap();
    assert_eq!(tarball::digest(&gz), img.layer_digests[0]);
    assert_ne!(fixtures::busybox().id, fixtures::second().id);
    assert_eq!(
        fixtures::second().diff_ids[0],
        img.diff_ids[0],
        "second shares busybox's layer"
    );
}

#[test]
fn fixtures_read_by_skopeo() {
    require!(Need::Tool("skopeo"));
    let env = TestEnv::new(
        if crate::support::is_root() {
            Mode::Root
        } else {
            Mode::Rootless
        },
        "fixtures_read_by_skopeo",
    );
    check_skopeo(&env, fixtures::busybox());
    check_skopeo(&env, fixtures::second());
}

#[test]
fn big_fixture_read_by_skopeo() {
    require!(Need::Tool("skopeo"));
    let env = TestEnv::new(
        if crate::support::is_root() {
            Mode::Root
        } else {
            Mode::Rootless
        },
        "big_fixture_read_by_skopeo",
    );
    check_skopeo(&env, fixtures::big());
}

both_modes!(fixtures_load_in_podman, |env| {
    require!(Need::Tool("podman"));
    if env.rootless() {
        require!(Need::SubUid);
    }
    for (img, archive) in [
        (fixtures::busybox(), &fixtures::busybox().docker_archive),
        (fixtures::second(), &fixtures::second().oci_archive),
    ] {
        env.podman(["load", "-i"]).arg(archive).assert_success();
        let id = env
            .podman(["image", "inspect", "--format", "{{.ID}}"])
            .arg(&img.id)
            .assert_success();
        assert_eq!(id.trimmed(), img.hex());
        let layers = env
            .podman(["image", "inspect", "--format", "{{json .RootFS.Layers}}"])
            .arg(&img.id)
            .assert_success();
        let layers: Vec<String> = serde_json::from_str(layers.trimmed()).unwrap();
        assert_eq!(layers, img.diff_ids);
    }
    let names = env
        .podman(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_success();
    eprintln!("podman names: {}", names.stdout);
});
