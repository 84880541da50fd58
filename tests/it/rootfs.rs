//! Container root filesystems other than the kernel's overlay: fuse-overlayfs
//! (`--storage-opt overlay.mount_program=…`, or auto mode's fallback) and the copy
//! (`--storage-driver vfs`, or the last resort), the choice in auto mode and its cache, the
//! storage options' errors, and what `info` says.
//!
//! Every behaviour test runs for both kinds and in both modes (`rootfs::<test>::<kind>::<mode>`).
//! A fuse-overlayfs test also checks that no fuse-overlayfs daemon for this test's store is left
//! once `run --rm` returned.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::tarball::{self, TarBuilder};
use crate::support::{Cmd, Need, TestEnv, fixtures};

const FUSE_OVERLAYFS: &str = "/usr/bin/fuse-overlayfs";

/// The two root filesystems these tests drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fuse,
    Copy,
}

impl Kind {
    /// The global options that select it.
    fn args(self) -> Vec<String> {
        match self {
            Kind::Fuse => vec![
                "--storage-opt".into(),
                format!("overlay.mount_program={FUSE_OVERLAYFS}"),
            ],
            Kind::Copy => vec!["--storage-driver".into(), "vfs".into()],
        }
    }
}

/// True when fuse-overlayfs can run here; otherwise skips (or fails under
/// BERTH_TEST_REQUIRE=1).
fn fuse_ready() -> bool {
    crate::support::require(Need::Tool("fuse-overlayfs"))
        && Path::new(FUSE_OVERLAYFS).exists()
        && crate::support::require(Need::UserDevice("/dev/fuse"))
}

/// Defines `$name::fuse::{root,rootless}` and `$name::copy::{root,rootless}` running `body`
/// with that kind; the fuse variant then checks no daemon was left behind.
macro_rules! each_kind {
    ($name:ident, |$env:ident, $kind:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($env: &TestEnv, $kind: Kind) $body

            both_modes!(fuse, |env| {
                if super::fuse_ready() {
                    super::body(env, Kind::Fuse);
                    super::assert_no_fuse_daemon(env);
                }
            });

            both_modes!(copy, |env| {
                super::body(env, Kind::Copy);
            });
        }
    };
}

/// `berth <kind's options> run --rm`.
fn run(env: &TestEnv, kind: Kind) -> Cmd {
    env.berth(kind.args()).args(["run", "--rm"])
}

/// Polls until no process runs fuse-overlayfs on this test's store (the daemon exits once the
/// container's mount namespace is gone); fails after 10 s. Zombies have no command line, so a
/// daemon that exited but is not yet reaped does not count.
fn assert_no_fuse_daemon(env: &TestEnv) {
    let store = env.root.display().to_string();
    let start = Instant::now();
    loop {
        let left: Vec<String> = std::fs::read_dir("/proc")
            .expect("reading /proc")
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
            .filter_map(|e| {
                let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
                let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
                (cmd.contains("fuse-overlayfs") && cmd.contains(&store))
                    .then(|| format!("{}: {cmd}", e.file_name().to_string_lossy()))
            })
            .collect();
        if left.is_empty() {
            return;
        }
        if start.elapsed() > Duration::from_secs(10) {
            panic!("fuse-overlayfs left running after run --rm: {left:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One line of `/proc/PID/mountinfo`: the mount's root within its filesystem, mount point,
/// options and type.
struct Mount {
    root: String,
    point: String,
    opts: String,
    fstype: String,
}

/// The mount at `/` that a lookup sees (the last one listed there).
fn root_mount(mountinfo: &str) -> Mount {
    mountinfo
        .lines()
        .filter_map(|l| {
            let (pre, post) = l.split_once(" - ")?;
            let f: Vec<&str> = pre.split(' ').collect();
            Some(Mount {
                root: f.get(3)?.to_string(),
                point: f.get(4)?.to_string(),
                opts: f.get(5)?.to_string(),
                fstype: post.split(' ').next()?.to_string(),
            })
        })
        .rfind(|m| m.point == "/")
        .unwrap_or_else(|| panic!("nothing mounted at /:\n{mountinfo}"))
}

/// Entries of a store subdirectory; empty when it does not exist.
fn store_entries(env: &TestEnv, sub: &str) -> Vec<String> {
    std::fs::read_dir(env.root.join(sub))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The unpacked layer directories of the store.
fn layer_dirs(env: &TestEnv) -> Vec<PathBuf> {
    std::fs::read_dir(env.root.join("layers"))
        .expect("reading the store's layers")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("diff"))
        .filter(|d| d.is_dir())
        .collect()
}

/// Loads `layered:latest`: busybox's layer, then a layer with /etc/gone, /opq/{old,sub/deep},
/// /keep/file, /owned (100:101 0750) with /owned/file (1234:5678 4755), the hardlinks
/// /hard/{a,b} and the symlink /link -> hard/a; then a layer that whites out /etc/gone, makes
/// /opq opaque with /opq/new, and adds /keep/added.
fn load_layered(env: &TestEnv) -> &'static str {
    let bb = fixtures::busybox();
    let gz = |tar: Vec<u8>| (fixtures::MEDIA_LAYER_GZIP, tarball::gzip(&tar), tar);
    let mut parts = fixtures::Parts::oci();
    parts.layers.push((
        fixtures::MEDIA_LAYER_GZIP,
        std::fs::read(&bb.layer_gzips[0]).expect("reading busybox's layer"),
        std::fs::read(&bb.layer_tars[0]).expect("reading busybox's layer"),
    ));
    let mut b = TarBuilder::new();
    b.dir("etc/", 0o755)
        .file("etc/gone", 0o644, b"deleted above\n")
        .dir("opq/", 0o755)
        .file("opq/old", 0o644, b"hidden above\n")
        .dir("opq/sub/", 0o755)
        .file("opq/sub/deep", 0o644, b"hidden above\n")
        .dir("keep/", 0o755)
        .file("keep/file", 0o644, b"kept\n")
        .dir_owned("owned/", 0o750, 100, 101)
        .file_owned("owned/file", 0o4755, 1234, 5678, b"#!/bin/sh\n")
        .dir("hard/", 0o755)
        .file("hard/a", 0o644, b"linked\n")
        .hardlink("hard/b", "hard/a")
        .symlink("link", "hard/a");
    parts.layers.push(gz(b.finish()));
    let mut c = TarBuilder::new();
    c.dir("etc/", 0o755)
        .file("etc/.wh.gone", 0o644, b"")
        .dir("opq/", 0o755)
        .file("opq/.wh..wh..opq", 0o644, b"")
        .file("opq/new", 0o644, b"new\n")
        .dir("keep/", 0o755)
        .file("keep/added", 0o644, b"added\n");
    parts.layers.push(gz(c.finish()));
    let archive = env.write("layered.oci.tar", parts.oci_archive("layered:latest"));
    env.berth(["load", "-i"])
        .arg(&archive)
        .assert_success()
        .stdout_contains("Loaded image: layered:latest");
    "layered"
}

// ---------------------------------------------------------------------------------------------
// The root filesystem, for each kind

each_kind!(root_is_the_chosen_kind, |env, kind| {
    env.load(fixtures::busybox());
    let out = run(env, kind)
        .args(["busybox", "cat", "/proc/self/mountinfo"])
        .assert_success()
        .stderr_empty();
    let m = root_mount(&out.stdout);
    assert!(
        m.opts.split(',').any(|o| o == "nodev"),
        "/ is not nodev: {}",
        out.stdout
    );
    match kind {
        Kind::Fuse => assert_eq!(m.fstype, "fuse.fuse-overlayfs", "{}", out.stdout),
        Kind::Copy => {
            assert!(
                m.fstype != "overlay" && !m.fstype.starts_with("fuse"),
                "{}",
                out.stdout
            );
            // A bind of the container's own copy in the store.
            assert!(
                m.root.ends_with("/rootfs") && m.root.contains("/containers/"),
                "/ is not a bind of <container>/rootfs: {}",
                out.stdout
            );
        }
    }
    assert!(
        store_entries(env, "containers").is_empty(),
        "--rm left containers behind: {:?}",
        store_entries(env, "containers")
    );
});

each_kind!(writes_stay_in_the_container, |env, kind| {
    env.load(fixtures::busybox());
    let marker = format!("marker-{}", env.tag);
    run(env, kind)
        .args(["busybox", "sh", "-c"])
        .arg(format!(
            "echo x > /{marker} && echo y > /bin/{marker} && rm /bin/true && cat /{marker}"
        ))
        .assert_success()
        .stdout_is("x\n");
    let layers = layer_dirs(env);
    assert!(
        layers.iter().any(|d| d.join("bin/busybox").exists()),
        "no layer diff holds bin/busybox: {layers:?}"
    );
    for d in &layers {
        assert!(
            !d.join(&marker).exists(),
            "{}/{marker} appeared",
            d.display()
        );
        assert!(
            !d.join("bin").join(&marker).exists(),
            "{}/bin/{marker} appeared",
            d.display()
        );
        if d.join("bin/busybox").exists() {
            assert!(
                d.join("bin/true").symlink_metadata().is_ok(),
                "deleting /bin/true in the container deleted it from {}",
                d.display()
            );
        }
    }
    run(env, kind)
        .args(["busybox", "sh", "-c"])
        .arg(format!(
            "test ! -e /{marker} && test ! -e /bin/{marker} && test -e /bin/true"
        ))
        .assert_success();
});

each_kind!(a_container_keeps_its_writes_across_starts, |env, kind| {
    env.load(fixtures::busybox());
    let name = format!("keep-{}", env.tag);
    env.berth(kind.args())
        .args(["create", "--name", &name, "busybox", "sh", "-c"])
        .arg("cat /kept 2>/dev/null; echo run >> /kept")
        .assert_success();
    env.berth(kind.args())
        .args(["start", "-a", &name])
        .assert_success()
        .stdout_is("");
    env.berth(kind.args())
        .args(["start", "-a", &name])
        .assert_success()
        .stdout_is("run\n");
    env.berth(kind.args())
        .args(["start", "-a", &name])
        .assert_success()
        .stdout_is("run\nrun\n");
    env.berth(kind.args()).args(["rm", &name]).assert_success();
    assert!(
        store_entries(env, "containers").is_empty(),
        "rm left containers behind: {:?}",
        store_entries(env, "containers")
    );
});

each_kind!(two_containers_do_not_see_each_others_writes, |env, kind| {
    env.load(fixtures::busybox());
    let sync = env.path("sync");
    std::fs::create_dir_all(&sync).unwrap();
    if let Some(u) = &env.user {
        std::os::unix::fs::chown(&sync, Some(u.uid), Some(u.gid)).unwrap();
    }
    let vol = format!("{}:/sync", sync.display());
    let first_script = "echo a > /tmp/a; touch /sync/first; i=0; \
        while [ ! -e /sync/second ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; \
        test ! -e /tmp/b && cat /tmp/a";
    let second_script = "echo b > /tmp/b; test ! -e /tmp/a; r=$?; touch /sync/second; exit $r";
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            run(env, kind)
                .args(["-v", &vol, "busybox", "sh", "-c", first_script])
                .run()
        });
        let start = Instant::now();
        while !sync.join("first").exists() && !first.is_finished() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "first container stuck"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        if !sync.join("first").exists() {
            let out = first.join().expect("first run");
            panic!("the first container did not start: {out:?}");
        }
        run(env, kind)
            .args(["-v", &vol, "busybox", "sh", "-c", second_script])
            .assert_success();
        let out = first.join().expect("first run");
        assert_eq!(out.code, Some(0), "first container: {out:?}");
        assert_eq!(out.stdout, "a\n");
    });
});

each_kind!(
    whiteouts_and_opaque_directories_are_honoured,
    |env, kind| {
        let image = load_layered(env);
        run(env, kind)
            .args([image, "sh", "-c"])
            .arg(
                "test ! -e /etc/gone && test -e /etc/passwd && ls -A /opq && cat /opq/new \
             && cat /keep/file /keep/added",
            )
            .assert_success()
            .stdout_is("new\nnew\nkept\nadded\n");
    }
);

each_kind!(ownership_links_and_modes_match_the_image, |env, kind| {
    if env.rootless() {
        // Without subordinate ids every file belongs to the one mapped user.
        crate::require!(Need::SubUid);
    }
    let image = load_layered(env);
    run(env, kind)
        .args([image, "sh", "-c"])
        .arg(
            "stat -c '%u:%g %a %n' /owned /owned/file; \
             stat -c '%h' /hard/a; [ $(stat -c %i /hard/a) = $(stat -c %i /hard/b) ] && echo same; \
             readlink /link; cat /link",
        )
        .assert_success()
        .stdout_is("100:101 750 /owned\n1234:5678 4755 /owned/file\n2\nsame\nhard/a\nlinked\n");
    // Files owned by subordinate ids are removed with the container too: its directory
    // leaves containers/ before run returns, and the detached remover empties trash/ soon
    // after.
    assert!(
        store_entries(env, "containers").is_empty(),
        "--rm left containers/ entries: {:?}",
        store_entries(env, "containers")
    );
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !store_entries(env, "trash").is_empty() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        store_entries(env, "trash").is_empty(),
        "--rm left trash/ entries after 10 s: {:?}",
        store_entries(env, "trash")
    );
});

each_kind!(read_only_root, |env, kind| {
    env.load(fixtures::busybox());
    run(env, kind)
        .args(["--read-only", "busybox", "touch", "/x"])
        .assert_exit(1)
        .stderr_contains("Read-only file system");
    run(env, kind)
        .args(["busybox", "touch", "/x"])
        .assert_success();
});

// ---------------------------------------------------------------------------------------------
// Auto mode: the probe, its cache, and the fallback

both_modes!(the_probe_is_cached_in_the_run_root, |env| {
    env.load(fixtures::busybox());
    let out = env
        .berth(["run", "--rm", "busybox", "cat", "/proc/self/mountinfo"])
        .assert_success();
    let cache = std::fs::read_to_string(env.runroot.join("rootfs-probe"))
        .expect("run did not cache the overlay probe in the run root");
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    assert!(
        cache.contains(&format!("boot {}\n", boot.trim()))
            && cache.contains(&format!("root {}\n", env.root.display())),
        "{cache}"
    );
    let fstype = root_mount(&out.stdout).fstype;
    if cache.contains("native ok\n") {
        assert_eq!(fstype, "overlay", "{}", out.stdout);
        assert_eq!(out.stderr, "", "a warning although native overlay works");
    } else {
        // This kernel refuses overlay here: the first run says so, once.
        assert_ne!(fstype, "overlay");
        assert_eq!(
            out.stderr
                .matches("Warning: the kernel refused a native overlay mount")
                .count(),
            1,
            "{}",
            out.stderr
        );
    }
    // The verdict is read, not probed again: no warning, and the cache is left as it was.
    let again = env
        .berth(["run", "--rm", "busybox", "true"])
        .assert_success()
        .stderr_empty();
    drop(again);
    assert_eq!(
        std::fs::read_to_string(env.runroot.join("rootfs-probe")).unwrap(),
        cache
    );
});

/// Writes a probe cache saying the kernel refused native overlay, as the user berth runs as.
fn forge_refused_probe(env: &TestEnv) {
    use std::os::unix::fs::PermissionsExt;
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    std::fs::create_dir_all(&env.runroot).unwrap();
    std::fs::set_permissions(&env.runroot, std::fs::Permissions::from_mode(0o700)).unwrap();
    let cache = env.runroot.join("rootfs-probe");
    std::fs::write(
        &cache,
        format!(
            "berth-rootfs-probe 1\nboot {}\nroot {}\nnative refused forced by the test\n",
            boot.trim(),
            env.root.display()
        ),
    )
    .unwrap();
    if let Some(u) = &env.user {
        for p in [&env.runroot, &cache] {
            std::os::unix::fs::chown(p, Some(u.uid), Some(u.gid)).unwrap();
        }
    }
}

both_modes!(refused_overlay_falls_back_to_fuse_overlayfs, |env| {
    if !fuse_ready() {
        return;
    }
    env.load(fixtures::busybox());
    forge_refused_probe(env);
    let out = env
        .berth(["run", "--rm", "busybox", "cat", "/proc/self/mountinfo"])
        .assert_success()
        .stderr_empty();
    assert_eq!(root_mount(&out.stdout).fstype, "fuse.fuse-overlayfs");
    assert_no_fuse_daemon(env);
    let info = env
        .berth([
            "info",
            "--format",
            "{{.Store.Rootfs.Kind}} {{.Store.Rootfs.Program}} {{.Store.Rootfs.Fallback}}",
        ])
        .assert_success();
    assert_eq!(
        info.trimmed(),
        format!(
            "fuse-overlayfs {FUSE_OVERLAYFS} the kernel refused a native overlay mount (forced by the test): using fuse-overlayfs {FUSE_OVERLAYFS} for container root filesystems"
        )
    );
    // Asking for vfs still copies, whatever the probe said.
    let out = env
        .berth(["--storage-driver", "vfs", "run", "--rm", "busybox", "cat"])
        .arg("/proc/self/mountinfo")
        .assert_success();
    assert!(root_mount(&out.stdout).root.ends_with("/rootfs"));
});

// ---------------------------------------------------------------------------------------------
// Options and info

both_modes!(bad_storage_options_exit_125, |env| {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--storage-driver", "btrfs"],
            "Error: unsupported storage driver \"btrfs\": berth supports \"overlay\" and \"vfs\"\n",
        ),
        (
            &["--storage-opt", "junk"],
            "Error: invalid --storage-opt \"junk\": expected KEY=VALUE\n",
        ),
        (
            &["--storage-opt", "overlay.size=10G"],
            "Error: invalid --storage-opt \"overlay.size=10G\": unknown option \"overlay.size\" (berth supports overlay.mount_program)\n",
        ),
        (
            &["--storage-opt", "overlay.mount_program=fuse-overlayfs"],
            "Error: invalid --storage-opt \"overlay.mount_program=fuse-overlayfs\": the mount program must be an absolute path\n",
        ),
        (
            &[
                "--storage-opt",
                "overlay.mount_program=/nonexistent/fuse-overlayfs",
            ],
            "Error: invalid --storage-opt \"overlay.mount_program=/nonexistent/fuse-overlayfs\": /nonexistent/fuse-overlayfs: No such file or directory (os error 2)\n",
        ),
        (
            &["--storage-opt", "overlay.mount_program=/etc/passwd"],
            "Error: invalid --storage-opt \"overlay.mount_program=/etc/passwd\": /etc/passwd is not an executable file\n",
        ),
        (
            &[
                "--storage-driver",
                "vfs",
                "--storage-opt",
                "overlay.mount_program=/bin/sh",
            ],
            "Error: invalid --storage-opt \"overlay.mount_program=/bin/sh\": the vfs storage driver copies the image and uses no mount program\n",
        ),
    ];
    for (args, message) in cases {
        env.berth(*args)
            .args(["run", "--rm", "busybox", "true"])
            .assert_error()
            .stderr_is(message)
            .stdout_empty();
        env.berth(*args)
            .arg("info")
            .assert_error()
            .stderr_is(message);
    }
    // Nothing was created for them.
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(a_failing_mount_program_is_an_error, |env| {
    if !crate::support::require(Need::UserDevice("/dev/fuse")) {
        return;
    }
    env.load(fixtures::busybox());
    env.berth(["--storage-opt", "overlay.mount_program=/bin/false"])
        .args(["run", "--rm", "busybox", "true"])
        .assert_error()
        .stderr_is(
            "Error: /bin/false could not serve the container's root filesystem (exit status: 1)\n",
        );
    // One that exits at once without serving: the container's first look at its root fails.
    env.berth(["--storage-opt", "overlay.mount_program=/bin/true"])
        .args(["run", "--rm", "busybox", "true"])
        .assert_error()
        .stderr_contains("Error: fuse-overlayfs is not serving ")
        .stderr_contains("ENOTCONN");
    assert!(
        store_entries(env, "containers").is_empty(),
        "failed runs left containers behind: {:?}",
        store_entries(env, "containers")
    );
});

both_modes!(info_shows_the_driver_and_rootfs, |env| {
    let fmt = "{{.Store.GraphDriverName}} {{.Driver}} {{.Store.Rootfs.Kind}}";
    env.berth(["--storage-driver", "vfs", "info", "--format", fmt])
        .assert_success()
        .stdout_is("vfs vfs copy\n");
    let out = env
        .berth(["info", "--format", fmt])
        .assert_success()
        .stdout_contains("overlay overlay ");
    let kind = out.trimmed().rsplit(' ').next().unwrap().to_string();
    assert!(
        ["overlay", "fuse-overlayfs", "copy"].contains(&kind.as_str()),
        "{}",
        out.stdout
    );
    let text = env
        .berth(["--storage-driver", "vfs", "info"])
        .assert_success();
    assert!(
        text.stdout
            .contains(" Storage Driver: vfs\n Rootfs: copy\n"),
        "{}",
        text.stdout
    );
    let opt = format!("overlay.mount_program={FUSE_OVERLAYFS}");
    if Path::new(FUSE_OVERLAYFS).exists() {
        let out = env
            .berth(["--storage-opt", &opt, "info", "--format"])
            .arg("{{json .Store.GraphOptions}} {{.Store.Rootfs.Kind}} {{.Store.Rootfs.Program}}")
            .assert_success();
        assert_eq!(
            out.trimmed(),
            format!(
                "{{\"overlay.mount_program\":{{\"Executable\":\"{FUSE_OVERLAYFS}\"}}}} fuse-overlayfs {FUSE_OVERLAYFS}"
            )
        );
    }
});
