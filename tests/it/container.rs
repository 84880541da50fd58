//! Containers that outlive their run: `create`, `start -a [-i]`, `run` without `--rm`, `rm`.

use std::time::Duration;

use crate::run::{host_dir, store_entries, vol, wait_for};
use crate::support::fixtures;

/// A command that says whether it has run in this container before, then marks it.
const MARK: &str = "test -f /mark && echo again || echo first; touch /mark";

fn is_full_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

both_modes!(run_without_rm_keeps_the_container_until_rm, |env| {
    env.load(fixtures::busybox());
    let name = env.name("keep");
    env.berth(["run", "--name", &name, "busybox", "sh", "-c", MARK])
        .assert_success()
        .stdout_is("first\n");
    assert_eq!(store_entries(env, "containers").len(), 1);
    // Started again, it finds what it wrote: the upper dir lives until rm.
    env.berth(["start", "-a", &name])
        .assert_success()
        .stdout_is("again\n");
    // Its name stays taken meanwhile.
    env.berth(["run", "--rm", "--name", &name, "busybox", "true"])
        .assert_error()
        .stderr_contains("already in use");
    env.berth(["rm", &name])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    assert!(store_entries(env, "containers").is_empty());
    assert!(store_entries(env, "names").is_empty());
    // The name is free again, and the new container starts from the image.
    env.berth(["run", "--name", &name, "busybox", "sh", "-c", MARK])
        .assert_success()
        .stdout_is("first\n");
});

both_modes!(create_then_start_attached, |env| {
    env.load(fixtures::busybox());
    let name = env.name("c1");
    let out = env
        .berth([
            "create",
            "--name",
            &name,
            "busybox",
            "sh",
            "-c",
            "echo hi; exit 3",
        ])
        .assert_success();
    let id = out.trimmed().to_string();
    assert!(is_full_id(&id), "create prints the full id: {id:?}");
    // Nothing ran yet: created is not started.
    let dir = env.root.join("containers").join(&id);
    assert!(dir.join("upper").read_dir().unwrap().next().is_none());
    env.berth(["start", "-a", &name])
        .assert_exit(3)
        .stdout_is("hi\n");
    // By id and by unambiguous id prefix, like Docker.
    env.berth(["start", "-a", &id]).assert_exit(3);
    env.berth(["start", "-a", &id[..12]]).assert_exit(3);
    env.berth(["container", "rm", &id[..12]]).assert_success();
    env.berth(["start", "-a", &name])
        .assert_error()
        .stderr_contains("no such container");
});

both_modes!(create_checks_everything_first, |env| {
    env.load(fixtures::busybox());
    for bad in [
        &["--ulimit", "bogus=1"][..],
        &["-v", "relative:/x"],
        &["--network", "bridge9"],
        &["--name", "-bad"],
        &["--tmpfs", "relative"],
    ] {
        env.berth(["create"])
            .args(bad)
            .args(["busybox", "true"])
            .assert_error();
    }
    env.berth(["create", "nosuchimage", "true"])
        .assert_error()
        .stderr_contains("no such image");
    assert!(store_entries(env, "containers").is_empty());
    assert!(store_entries(env, "names").is_empty());
});

both_modes!(unnamed_containers_get_a_name, |env| {
    env.load(fixtures::busybox());
    let id = env
        .berth(["create", "busybox", "true"])
        .assert_success()
        .trimmed()
        .to_string();
    let names = store_entries(env, "names");
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(
        name.contains('_')
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "generated name {name:?}"
    );
    env.berth(["start", "-a", name]).assert_success();
    env.berth(["rm", &id])
        .assert_success()
        .stdout_is(&format!("{id}\n"));
    assert!(store_entries(env, "names").is_empty());
});

both_modes!(start_i_passes_stdin, |env| {
    env.load(fixtures::busybox());
    let name = env.name("cat");
    env.berth(["create", "-i", "--name", &name, "busybox", "cat"])
        .assert_success();
    env.berth(["start", "-a", "-i", &name])
        .stdin("through stdin\n")
        .assert_success()
        .stdout_is("through stdin\n");
    // Without -i the container's stdin is empty.
    env.berth(["start", "-a", &name])
        .stdin("not passed\n")
        .assert_success()
        .stdout_is("");
});

both_modes!(start_usage_errors, |env| {
    env.load(fixtures::busybox());
    let a = env.name("a");
    env.berth(["create", "--name", &a, "busybox", "true"])
        .assert_success();
    env.berth(["start", &a])
        .assert_error()
        .stderr_contains("-a");
    env.berth(["start", "-a", &a, &a])
        .assert_error()
        .stderr_contains("multiple");
    env.berth(["start", "-a", "nosuch"])
        .assert_error()
        .stderr_contains("no such container: nosuch");
});

both_modes!(
    a_running_container_is_not_started_twice_nor_removed,
    |env| {
        env.load(fixtures::busybox());
        let sync = host_dir(env, "sync");
        let name = env.name("busy");
        env.berth(["create", "--name", &name, "-v", &vol(&sync, "/sync", None)])
            .args(["busybox", "sh", "-c", "touch /sync/started; sleep 30"])
            .assert_success();
        let mut first = Guard(env.berth(["start", "-a", &name]).spawn());
        assert!(
            wait_for(&sync.join("started"), 60, || true),
            "the container did not start"
        );
        env.berth(["start", "-a", &name])
            .assert_error()
            .stderr_contains("already running");
        env.berth(["rm", &name])
            .assert_error()
            .stderr_contains("is running");
        // rm -f kills it: the attached start ends with 128 + SIGKILL.
        env.berth(["rm", "-f", &name])
            .timeout(Duration::from_secs(20))
            .assert_success()
            .stdout_is(&format!("{name}\n"));
        let status = first.0.wait().expect("waiting for start -a");
        assert_eq!(status.code(), Some(137), "start -a of a killed container");
        assert!(store_entries(env, "containers").is_empty());
        assert!(store_entries(env, "names").is_empty());
    }
);

both_modes!(rm_reports_every_target, |env| {
    env.load(fixtures::busybox());
    let (a, b) = (env.name("a"), env.name("b"));
    for n in [&a, &b] {
        env.berth(["create", "--name", n, "busybox", "true"])
            .assert_success();
    }
    let out = env.berth(["rm", &a, "nosuch", &b]).run();
    assert_eq!(out.code, Some(125), "{out:?}");
    assert_eq!(out.stdout, format!("{a}\n{b}\n"));
    assert!(out.stderr.contains("no such container: nosuch"), "{out:?}");
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(create_rm_is_removed_after_its_start, |env| {
    env.load(fixtures::busybox());
    let name = env.name("once");
    let d = host_dir(env, "ids");
    let cid = d.join("c.cid");
    env.berth(["create", "--rm", "--name", &name, "--cidfile"])
        .arg(&cid)
        .args(["busybox", "sh", "-c", "exit 4"])
        .assert_success();
    assert!(cid.exists(), "the cidfile is written at create");
    env.berth(["start", "-a", &name]).assert_exit(4);
    assert!(store_entries(env, "containers").is_empty());
    assert!(!cid.exists(), "removed with the container");
});

both_modes!(a_failed_start_leaves_a_created_container, |env| {
    env.load(fixtures::busybox());
    let name = env.name("nocmd");
    env.berth(["run", "--name", &name, "busybox", "nosuchcmd"])
        .assert_exit(127);
    // Docker keeps it (created, never ran); it can be removed like any other.
    assert_eq!(store_entries(env, "containers").len(), 1);
    env.berth(["start", "-a", &name]).assert_exit(127);
    env.berth(["rm", &name]).assert_success();
});

/// Kills the child on drop, so a failed assertion does not leave `start -a` running.
pub(crate) struct Guard(pub(crate) std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
