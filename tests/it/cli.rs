//! The command line itself: help, version, info, global options, usage errors, hostile bytes in
//! arguments (SECURITY.md I16), the rootless default paths, and stdout handling.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::support::fixtures;
use crate::support::{Mode, Need, TestEnv, run_test};

const COMMANDS: &[&str] = &[
    "load", "images", "image", "tag", "untag", "rmi", "history", "save", "import", "version",
    "info",
];

both_modes!(help_lists_every_command, |env| {
    let out = env
        .berth(["--help"])
        .assert_success()
        .stdout_contains("Usage:");
    for c in COMMANDS {
        assert!(
            out.stdout.lines().any(|l| l.trim_start().starts_with(c)),
            "--help lacks {c}:\n{}",
            out.stdout
        );
    }
    let out = env.berth(["images", "--help"]).assert_success();
    for flag in [
        "--all",
        "--quiet",
        "--digests",
        "--no-trunc",
        "--filter",
        "--format",
    ] {
        assert!(
            out.stdout.contains(flag),
            "images --help lacks {flag}:\n{}",
            out.stdout
        );
    }
    for args in [
        &["image", "--help"][..],
        &["image", "ls", "--help"],
        &["image", "inspect", "--help"],
        &["image", "prune", "--help"],
        &["image", "exists", "--help"],
        &["load", "--help"],
        &["save", "--help"],
        &["import", "--help"],
        &["tag", "--help"],
        &["rmi", "--help"],
        &["history", "--help"],
        &["help", "images"],
    ] {
        env.berth(args)
            .assert_success()
            .stdout_contains("Usage:")
            .stderr_empty();
    }
});

both_modes!(version_and_info, |env| {
    let version = env!("CARGO_PKG_VERSION");
    env.berth(["version"])
        .assert_success()
        .stdout_contains(version);
    env.berth(["version", "--format", "{{.Client.Version}}"])
        .assert_success()
        .stdout_is(&format!("{version}\n"));
    env.berth(["--version"])
        .assert_success()
        .stdout_contains(version);
    env.berth(["version", "--format", "{{json .}}"])
        .assert_success()
        .json();
    env.berth(["info"])
        .assert_success()
        .stdout_contains(&env.root.display().to_string());
    let info = env
        .berth(["info", "--format", "{{json .}}"])
        .assert_success();
    info.json();
    assert!(
        info.stdout.contains(&env.root.display().to_string()),
        "info names the store:\n{}",
        info.stdout
    );
    env.berth(["info", "--format", "{{.Nope"]).assert_error();
});

both_modes!(usage_errors_exit_125, |env| {
    env.berth(["frobnicate"])
        .assert_error()
        .stderr_contains("frobnicate");
    env.berth(["images", "--frobnicate"])
        .assert_error()
        .stderr_contains("--frobnicate");
    env.berth(["--log-level", "bogus", "images"])
        .assert_error()
        .stderr_contains("bogus");
    env.berth(["--storage-driver", "btrfs", "images"])
        .assert_error()
        .stderr_contains("btrfs");
    env.berth(["--storage-opt", "bogus", "images"])
        .assert_error()
        .stderr_contains("bogus");
    env.berth(["image", "inspect"]).assert_error();
    env.berth(["--log-level", "debug", "images"])
        .assert_success();
    env.berth(["--storage-driver", "overlay", "images"])
        .assert_success();
    env.berth(["--storage-driver", "vfs", "images"])
        .assert_success();
});

both_modes!(hostile_argument_bytes, |env| {
    env.load(fixtures::busybox());
    let bad = OsStr::from_bytes(b"bad\xff\xfename");
    // Every one of these must be berth's error (125), never a panic (the harness fails on 101).
    env.berth(["image", "inspect"]).arg(bad).assert_error();
    env.berth(["tag", "busybox"]).arg(bad).assert_error();
    env.berth(["rmi"]).arg(bad).assert_error();
    env.berth(["images", "--format"]).arg(bad).run();
    env.berth(["images", "--filter"]).arg(bad).assert_error();
    env.berth(["load", "-i"]).arg(bad).assert_error();
    env.berth(["image", "exists"]).arg(bad).run();
    env.berth(["tag", "busybox", &"a".repeat(100_000)])
        .assert_error();
    env.berth(["image", "inspect", "sha256:zzzz"])
        .assert_error();
    env.berth(["image", "inspect", &format!("sha256:{}", "0".repeat(64))])
        .assert_error();
    env.berth(["image", "inspect", "busybox@sha256:1234"])
        .assert_error();
    env.berth(["images", "--filter", "before=99999999999999999999999999"])
        .assert_error();
    env.berth(["--root", "relative/../dir", "images"]).run();
    // The image is still fine.
    env.berth(["image", "exists", "busybox"]).assert_success();
});

both_modes!(broken_pipe_is_success, |env| {
    env.load(fixtures::busybox());
    let mut args = vec!["image".to_string(), "inspect".to_string()];
    args.extend(std::iter::repeat_n("busybox".to_string(), 300));
    // `set -o pipefail` makes the pipeline's status berth's; head closes the pipe early.
    let script = r#"set -o pipefail; "$@" | head -c 10 >/dev/null"#;
    env.command("bash", ["-c", script, "bash"])
        .arg(crate::support::berth_bin())
        .args(["--root"])
        .arg(&env.root)
        .args(["--runroot"])
        .arg(&env.runroot)
        .args(&args)
        .assert_success()
        .stderr_empty();
});

both_modes!(save_refuses_a_terminal, |env| {
    require!(Need::Tool("script"));
    env.load(fixtures::busybox());
    let cmd = format!(
        "{} --root {} --runroot {} save busybox",
        crate::support::berth_bin().display(),
        env.root.display(),
        env.runroot.display()
    );
    let out = env
        .command("script", ["-qec", &cmd, "/dev/null"])
        .assert_exit(125);
    assert!(
        out.stdout.contains("Error: ") && out.stdout.to_lowercase().contains("terminal"),
        "{}",
        out.stdout
    );
});

/// Without `--root`, a rootless berth keeps its store under `$XDG_DATA_HOME/berth`, private to
/// the user (SECURITY.md I18, I19).
#[test]
fn rootless_default_store_is_xdg_and_private() {
    run_test(Mode::Rootless, "rootless_default_store", |env: &TestEnv| {
        env.berth_bare(["load", "-i"])
            .arg(&fixtures::busybox().docker_archive)
            .assert_success();
        let store = env.xdg_data_home.join("berth");
        let meta = std::fs::metadata(&store).unwrap_or_else(|e| panic!("{}: {e}", store.display()));
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        assert_eq!(meta.permissions().mode() & 0o777, 0o700, "store mode");
        let uid = env
            .user
            .as_ref()
            .map(|u| u.uid)
            .unwrap_or_else(|| nix::unistd::getuid().as_raw());
        assert_eq!(meta.uid(), uid, "store owner");
        assert!(
            store.join("images").exists(),
            "images/ under {}",
            store.display()
        );
        env.berth_bare(["images", "-q"])
            .assert_success()
            .stdout_is(&format!("{}\n", fixtures::busybox().short_id()));
        let info = env
            .berth_bare(["info", "--format", "{{json .}}"])
            .assert_success();
        assert!(
            info.stdout.contains(&store.display().to_string()),
            "{}",
            info.stdout
        );
        assert!(
            info.stdout
                .contains(&env.xdg_runtime_dir.display().to_string()),
            "{}",
            info.stdout
        );
    });
}
