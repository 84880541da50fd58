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

// ---------------------------------------------------------------------------------------------
// Detached containers: run -d, start without -a, logs

/// Polls `berth logs NAME` until its stdout contains `needle`.
fn wait_for_log(env: &crate::support::TestEnv, name: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let out = env.berth(["logs", name]).assert_success();
        if out.stdout.contains(needle) {
            return out.stdout;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{needle:?} never reached the log: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

both_modes!(run_d_returns_at_once_and_logs_keep_streams_apart, |env| {
    env.load(fixtures::busybox());
    let name = env.name("web");
    let started = std::time::Instant::now();
    // The CLI's stdout is a pipe read to EOF: if the monitor kept it, this would hang.
    let out = env
        .berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg("echo hello; echo oops >&2; sleep 30")
        .timeout(Duration::from_secs(20))
        .assert_success();
    assert!(is_full_id(out.trimmed()), "run -d prints the id: {out:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    wait_for_log(env, &name, "hello\n");
    let logs = env.berth(["logs", &name]).assert_success();
    assert_eq!(logs.stdout, "hello\n");
    assert_eq!(logs.stderr, "oops\n");
    let t = env.berth(["logs", "-t", &name]).assert_success();
    let (stamp, rest) = t.stdout.split_once(' ').expect("a timestamp and the line");
    assert!(stamp.ends_with('Z') && stamp.contains('T'), "{stamp:?}");
    assert_eq!(rest, "hello\n");
    // Running: start refuses, rm -f ends it.
    env.berth(["start", &name])
        .assert_error()
        .stderr_contains("already running");
    env.berth(["rm", "-f", &name])
        .timeout(Duration::from_secs(20))
        .assert_success();
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(run_d_reports_setup_errors_with_their_codes, |env| {
    env.load(fixtures::busybox());
    env.berth(["run", "-d", "--rm", "busybox", "nosuchcmd"])
        .assert_exit(127)
        .stderr_contains("nosuchcmd")
        .stdout_empty();
    env.berth(["run", "-d", "--rm", "busybox", "/etc/passwd"])
        .assert_exit(126);
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(a_foreground_run_keeps_its_log_like_a_detached_one, |env| {
    env.load(fixtures::busybox());
    let name = env.name("fg");
    // The caller sees both streams apart, as they come, and the exit code.
    let out = env
        .berth(["run", "--name", &name, "busybox", "sh", "-c"])
        .arg("echo one; echo two >&2; exit 3")
        .assert_exit(3);
    assert_eq!(out.stdout, "one\n");
    assert_eq!(out.stderr, "two\n");
    // The log holds the same, kept apart, as `logs` of a `run -d` would.
    let logs = env.berth(["logs", &name]).assert_success();
    assert_eq!(logs.stdout, "one\n");
    assert_eq!(logs.stderr, "two\n");
    // `start -a` appends to it.
    env.berth(["start", "-a", &name])
        .assert_exit(3)
        .stdout_is("one\n");
    env.berth(["logs", &name])
        .assert_success()
        .stdout_is("one\none\n");
    // A setup error is berth's own message, never the container's log.
    let bad = env.name("fgbad");
    env.berth(["run", "--name", &bad, "busybox", "nosuchcmd"])
        .assert_exit(127)
        .stderr_contains("executable file not found");
    env.berth(["logs", &bad]).assert_success().stdout_is("");
    // --log-driver none keeps nothing; the output still reaches the caller.
    let none = env.name("fgnone");
    env.berth([
        "run",
        "--log-driver",
        "none",
        "--name",
        &none,
        "busybox",
        "echo",
        "x",
    ])
    .assert_success()
    .stdout_is("x\n");
    // With -t the terminal's output is logged as it was shown (one stream, \r\n endings).
    let tty = env.name("fgtty");
    let shown = env
        .berth([
            "run",
            "-t",
            "--name",
            &tty,
            "busybox",
            "sh",
            "-c",
            "tty; echo hi",
        ])
        .assert_success();
    assert_eq!(shown.stdout, "/dev/pts/0\r\nhi\r\n");
    env.berth(["logs", &tty])
        .assert_success()
        .stdout_is(&shown.stdout);
    env.berth(["rm", &name, &bad, &none, &tty]).assert_success();
});

both_modes!(
    a_detached_terminal_is_logged_and_takes_the_attached_size,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("dt");
        env.berth(["run", "-dt", "--name", &name, "busybox", "sh", "-c"])
            .arg("tty; while :; do stty size; sleep 0.2; done")
            .assert_success();
        // The monitor relays the terminal into the log (stdout, \r\n endings)...
        wait_for_log(env, &name, "/dev/pts/0\r\n");
        // ...and serves attach: an attached terminal's size becomes the container's.
        let attach = format!(
            "stty rows 41 cols 101; exec {} --root {} --runroot {} attach --no-stdin {name}",
            crate::support::berth_bin().display(),
            env.root.display(),
            env.runroot.display()
        );
        let out = env
            .command("timeout", ["5", "script", "-qec", &attach, "/dev/null"])
            .timeout(Duration::from_secs(30))
            .run();
        assert!(out.stdout.contains("41 101"), "{out:?}");
        wait_for_log(env, &name, "41 101");
        env.berth(["rm", "-f", &name])
            .timeout(Duration::from_secs(20))
            .assert_success();
    }
);

both_modes!(logs_follow_until_the_container_exits, |env| {
    env.load(fixtures::busybox());
    let name = env.name("count");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg("for i in 1 2 3 4 5; do echo $i; sleep 0.2; done")
        .assert_success();
    // Started while the container runs, -f returns once it is done, with every line.
    env.berth(["logs", "-f", &name])
        .timeout(Duration::from_secs(30))
        .assert_success()
        .stdout_is("1\n2\n3\n4\n5\n");
    env.berth(["logs", "--tail", "2", &name])
        .assert_success()
        .stdout_is("4\n5\n");
    env.berth(["logs", "--since", "1h", &name])
        .assert_success()
        .stdout_is("1\n2\n3\n4\n5\n");
    env.berth(["logs", "--until", "1h", &name])
        .assert_success()
        .stdout_is("");
    env.berth(["logs", "--since", "yesterday", &name])
        .assert_error()
        .stderr_contains("invalid time");
    // start without -a runs it again in the background: the log grows.
    env.berth(["start", &name])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    env.berth(["logs", "-f", &name])
        .timeout(Duration::from_secs(30))
        .assert_success()
        .stdout_is("1\n2\n3\n4\n5\n1\n2\n3\n4\n5\n");
});

both_modes!(a_hundred_thousand_lines_arrive_in_order, |env| {
    env.load(fixtures::busybox());
    let name = env.name("many");
    env.berth(["run", "-d", "--name", &name, "busybox", "seq", "100000"])
        .assert_success();
    let out = env
        .berth(["logs", "-f", &name])
        .timeout(Duration::from_secs(60))
        .assert_success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 100_000);
    assert!(
        lines
            .iter()
            .enumerate()
            .all(|(i, l)| *l == (i + 1).to_string()),
        "lines out of order or changed"
    );
});

both_modes!(logs_rotate_and_can_be_turned_off, |env| {
    env.load(fixtures::busybox());
    let name = env.name("rot");
    env.berth(["run", "-d", "--name", &name, "--log-opt", "max-size=2k"])
        .args(["--log-opt", "max-file=2", "busybox", "seq", "2000"])
        .assert_success();
    // Once it has exited (a follower started earlier could read lines before they rotate
    // away), only the newest ~4 KiB are kept: the last lines, in order.
    env.berth(["wait", &name])
        .timeout(Duration::from_secs(30))
        .assert_success()
        .stdout_is("0\n");
    let out = env.berth(["logs", &name]).assert_success();
    assert!(out.stdout.ends_with("1999\n2000\n"), "{out:?}");
    assert!(!out.stdout.starts_with("1\n"), "nothing was rotated away");
    let id = env.berth(["create", "busybox", "true"]).assert_success();
    let _ = id;
    let logs: Vec<String> = std::fs::read_dir(env.root.join("containers"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ctr.log"))
        .collect();
    assert!(logs.len() <= 2, "at most max-file files: {logs:?}");

    let quiet = env.name("quiet");
    env.berth([
        "run",
        "-d",
        "--name",
        &quiet,
        "--log-driver",
        "none",
        "busybox",
        "echo",
        "x",
    ])
    .assert_success();
    env.berth(["logs", &quiet])
        .assert_error()
        .stderr_contains("log driver none");
    for bad in [
        "max-size=0",
        "max-size=ten",
        "max-file=0",
        "color=red",
        "nokey",
    ] {
        env.berth(["run", "-d", "--log-opt", bad, "busybox", "true"])
            .assert_error()
            .stderr_contains("--log-opt");
    }
    env.berth(["run", "-d", "--log-driver", "syslog", "busybox", "true"])
        .assert_error()
        .stderr_contains("log driver");
});
