//! Lifecycle verbs of existing containers: `stop`, `kill`, `restart`, `wait`, restart
//! policies, and what happens when a monitor dies.

use std::time::{Duration, Instant};

use crate::run::store_entries;
use crate::support::{TestEnv, fixtures};

/// A loop that keeps the container running and responsive to signals it traps (a shell as
/// PID 1 runs a trap between two short sleeps).
const IDLE: &str = "while :; do sleep 0.1; done";

/// The container's state file, as the monitor wrote it.
fn state(env: &TestEnv, name: &str) -> serde_json::Value {
    let id = id_of(env, name);
    let path = env.root.join("containers").join(id).join("state.json");
    let text = std::fs::read_to_string(&path).expect("reading state.json");
    serde_json::from_str(&text).expect("state.json is JSON")
}

fn id_of(env: &TestEnv, name: &str) -> String {
    std::fs::read_to_string(env.root.join("names").join(name)).expect("the name's record")
}

/// Polls until `cond` holds on the container's state, for up to 30 s.
fn wait_state(
    env: &TestEnv,
    name: &str,
    what: &str,
    cond: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = state(env, name);
        if cond(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "never {what}: {s}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls `berth logs NAME` until it holds `n` lines.
fn wait_log_lines(env: &TestEnv, name: &str, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = env.berth(["logs", name]).assert_success();
        if out.stdout.lines().count() >= n {
            return out.stdout;
        }
        assert!(
            Instant::now() < deadline,
            "the log never had {n} lines: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends SIGKILL to a process berth started for this test (a container or its monitor).
fn kill9(pid: i64) {
    let pid = i32::try_from(pid).expect("a pid");
    assert!(pid > 1, "bad pid {pid}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9");
}

fn status_of(env: &TestEnv, name: &str) -> String {
    env.berth(["ps", "-a", "--filter", &format!("name=^{name}$")])
        .args(["--format", "{{.Status}}"])
        .assert_success()
        .trimmed()
        .to_string()
}

both_modes!(stop_kills_a_container_that_ignores_sigterm_in_time, |env| {
    env.load(fixtures::busybox());
    let name = env.name("stubborn");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg(format!("trap '' TERM; echo ready; {IDLE}"))
        .assert_success();
    wait_log_lines(env, &name, 1);
    let began = Instant::now();
    env.berth(["stop", "-t", "2", &name])
        .timeout(Duration::from_secs(20))
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    let took = began.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(3),
        "stop -t 2 took {took:?}"
    );
    env.berth(["wait", &name])
        .assert_success()
        .stdout_is("137\n");
    assert!(status_of(env, &name).starts_with("Exited (137)"));
    // Stopping a stopped container succeeds quietly, as in Docker.
    env.berth(["container", "stop", &name])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    env.berth(["rm", &name]).assert_success();
});

both_modes!(stop_sends_the_stop_signal_first, |env| {
    env.load(fixtures::busybox());
    let name = env.name("polite");
    env.berth(["run", "-d", "--name", &name, "--stop-signal", "SIGUSR1"])
        .args(["busybox", "sh", "-c"])
        .arg(format!("trap 'echo bye; exit 3' USR1; echo ready; {IDLE}"))
        .assert_success();
    wait_log_lines(env, &name, 1);
    let began = Instant::now();
    env.berth(["stop", &name]).assert_success();
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "the stop signal was not USR1"
    );
    env.berth(["wait", &name]).assert_success().stdout_is("3\n");
    env.berth(["logs", &name])
        .assert_success()
        .stdout_is("ready\nbye\n");
    for bad in [
        &["--stop-signal", "SIGNOPE"][..],
        &["--stop-signal", "0"],
        &["--restart", "on-failure:-1"],
        &["--restart", "always:3"],
        &["--restart", "sometimes"],
        &["--rm", "--restart", "always"],
    ] {
        env.berth(["run", "-d"])
            .args(bad)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_mentions_any(&["invalid signal", "restart policy", "--restart"]);
    }
    assert_eq!(store_entries(env, "containers").len(), 1);
});

both_modes!(exit_codes_agree_across_wait_start_a_and_run, |env| {
    env.load(fixtures::busybox());
    let name = env.name("code");
    env.berth(["run", "--name", &name, "busybox", "sh", "-c", "exit 42"])
        .assert_exit(42);
    env.berth(["wait", &name])
        .assert_success()
        .stdout_is("42\n");
    env.berth(["start", "-a", &name]).assert_exit(42);
    env.berth(["start", &name]).assert_success();
    env.berth(["wait", &name])
        .assert_success()
        .stdout_is("42\n");
    // Killed: 128 + 9 everywhere.
    let k = env.name("killed");
    env.berth(["run", "-d", "--name", &k, "busybox", "sleep", "1000"])
        .assert_success();
    env.berth(["kill", &k])
        .assert_success()
        .stdout_is(&format!("{k}\n"));
    env.berth(["wait", &k]).assert_success().stdout_is("137\n");
    assert!(status_of(env, &k).starts_with("Exited (137)"));
    // Several at once, in order; a bad one is reported, the others still printed.
    let out = env.berth(["wait", &name, "nosuch", &k]).run();
    assert_eq!(out.code, Some(125), "{out:?}");
    assert_eq!(out.stdout, "42\n137\n");
    assert!(out.stderr.contains("no such container: nosuch"), "{out:?}");
    env.berth(["wait", "--condition", "paused", &k])
        .assert_exit(125)
        .stderr_contains("--condition");
});

both_modes!(kill_delivers_named_and_numbered_signals, |env| {
    env.load(fixtures::busybox());
    let name = env.name("hup");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg(format!("trap 'echo hup' HUP; echo ready; {IDLE}"))
        .assert_success();
    wait_log_lines(env, &name, 1);
    for (n, sig) in ["HUP", "SIGHUP", "1", "hup"].iter().enumerate() {
        env.berth(["kill", "-s", sig, &name])
            .assert_success()
            .stdout_is(&format!("{name}\n"));
        // One at a time: a shell runs a trap once however many arrive meanwhile.
        wait_log_lines(env, &name, n + 2);
    }
    assert_eq!(
        env.berth(["logs", &name]).assert_success().stdout,
        "ready\nhup\nhup\nhup\nhup\n"
    );
    assert_eq!(state(env, &name)["status"], "running");
    env.berth(["kill", "-s", "NOPE", &name])
        .assert_exit(125)
        .stderr_contains("invalid signal \"NOPE\"");
    env.berth(["container", "kill", "--signal", "KILL", &name])
        .assert_success();
    env.berth(["kill", &name])
        .assert_exit(125)
        .stderr_contains("is not running");
});

both_modes!(multi_target_verbs_do_the_good_ones_and_exit_125, |env| {
    env.load(fixtures::busybox());
    let (a, b) = (env.name("a"), env.name("b"));
    for n in [&a, &b] {
        env.berth(["run", "-d", "--name", n, "busybox", "sleep", "1000"])
            .assert_success();
    }
    let out = env.berth(["stop", "-t", "0", &a, "nosuch", &b]).run();
    assert_eq!(out.code, Some(125), "{out:?}");
    assert_eq!(out.stdout, format!("{a}\n{b}\n"));
    assert!(
        out.stderr.contains("Error: no such container: nosuch"),
        "{out:?}"
    );
    for n in [&a, &b] {
        assert_eq!(state(env, n)["status"], "exited");
    }
    env.berth(["restart", "-t", "0", &a, "nosuch", &b])
        .assert_exit(125)
        .stdout_is(&format!("{a}\n{b}\n"));
    for n in [&a, &b] {
        assert_eq!(state(env, n)["status"], "running");
    }
    let out = env.berth(["kill", &a, "nosuch", &b]).run();
    assert_eq!(out.code, Some(125), "{out:?}");
    assert_eq!(out.stdout, format!("{a}\n{b}\n"));
    env.berth(["rm", &a, &b]).assert_success();
});

both_modes!(restart_runs_the_container_again, |env| {
    env.load(fixtures::busybox());
    let name = env.name("again");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg(format!("echo run; {IDLE}"))
        .assert_success();
    wait_log_lines(env, &name, 1);
    let first = state(env, &name)["pid"].as_i64().unwrap();
    env.berth(["container", "restart", "-t", "0", &name])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    let s = state(env, &name);
    assert_eq!(s["status"], "running");
    assert_ne!(s["pid"].as_i64().unwrap(), first);
    wait_log_lines(env, &name, 2);
    // An exited container is simply started.
    env.berth(["stop", "-t", "0", &name]).assert_success();
    env.berth(["restart", &name]).assert_success();
    assert_eq!(state(env, &name)["status"], "running");
    env.berth(["wait", "--condition", "running", &name])
        .assert_success()
        .stdout_is("-1\n");
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(on_failure_restarts_up_to_its_limit, |env| {
    env.load(fixtures::busybox());
    let name = env.name("flaky");
    env.berth(["run", "-d", "--name", &name, "--restart", "on-failure:3"])
        .args(["busybox", "sh", "-c", "echo try; exit 1"])
        .assert_success();
    // 100 + 200 + 400 ms of backoff, then done for good.
    env.berth(["wait", &name])
        .timeout(Duration::from_secs(30))
        .assert_success()
        .stdout_is("1\n");
    let s = state(env, &name);
    assert_eq!(s["restart_count"], 3, "{s}");
    assert_eq!(s["status"], "exited");
    assert!(status_of(env, &name).starts_with("Exited (1)"));
    assert_eq!(wait_log_lines(env, &name, 4), "try\ntry\ntry\ntry\n");
    // A clean exit is not a failure.
    let ok = env.name("fine");
    env.berth(["run", "-d", "--name", &ok, "--restart", "on-failure"])
        .args(["busybox", "true"])
        .assert_success();
    env.berth(["wait", &ok]).assert_success().stdout_is("0\n");
    assert_eq!(state(env, &ok)["restart_count"], 0);
});

both_modes!(always_restarts_after_an_outside_kill_until_stopped, |env| {
    env.load(fixtures::busybox());
    let name = env.name("phoenix");
    env.berth(["run", "-d", "--name", &name, "--restart", "always"])
        .args(["busybox", "sleep", "1000"])
        .assert_success();
    let mut pid = state(env, &name)["pid"].as_i64().unwrap();
    for round in 1..=2u64 {
        kill9(pid);
        let s = wait_state(env, &name, "restarted", |s| {
            s["status"] == "running" && s["pid"].as_i64() != Some(pid)
        });
        assert_eq!(s["restart_count"], round, "{s}");
        pid = s["pid"].as_i64().unwrap();
    }
    assert!(status_of(env, &name).starts_with("Up"));
    // stop ends the restarting for good.
    env.berth(["stop", "-t", "0", &name]).assert_success();
    std::thread::sleep(Duration::from_millis(500));
    let s = state(env, &name);
    assert_eq!(
        (s["status"].as_str(), s["exit_code"].as_i64()),
        (Some("exited"), Some(137))
    );
    assert_eq!(s["restart_count"], 2);
    // berth kill (SIGKILL) counts as the user's stop too.
    env.berth(["start", &name]).assert_success();
    assert_eq!(
        state(env, &name)["restart_count"],
        0,
        "a start resets the count"
    );
    env.berth(["kill", &name]).assert_success();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(state(env, &name)["status"], "exited");
    env.berth(["rm", &name]).assert_success();
});

both_modes!(stop_and_rm_end_a_restarting_container, |env| {
    env.load(fixtures::busybox());
    let name = env.name("crashy");
    env.berth(["run", "-d", "--name", &name, "--restart", "always"])
        .args(["busybox", "sh", "-c", "exit 2"])
        .assert_success();
    // After a few quick failures the backoff is long enough to catch it restarting.
    wait_state(env, &name, "restarting with a long backoff", |s| {
        s["status"] == "restarting" && s["restart_count"].as_u64() >= Some(5)
    });
    assert!(status_of(env, &name).starts_with("Restarting (2)"));
    env.berth(["rm", &name])
        .assert_exit(125)
        .stderr_contains("is restarting");
    let began = Instant::now();
    env.berth(["stop", &name]).assert_success();
    assert!(began.elapsed() < Duration::from_secs(2));
    let count = state(env, &name)["restart_count"].clone();
    std::thread::sleep(Duration::from_secs(2));
    let s = state(env, &name);
    assert_eq!(s["status"], "exited", "{s}");
    assert_eq!(s["restart_count"], count, "restarted after stop: {s}");
    env.berth(["wait", &name]).assert_success().stdout_is("2\n");

    let other = env.name("crashy2");
    env.berth(["run", "-d", "--name", &other, "--restart", "always"])
        .args(["busybox", "sh", "-c", "exit 2"])
        .assert_success();
    wait_state(env, &other, "restarting", |s| s["status"] == "restarting");
    env.berth(["rm", "-f", &other]).assert_success();
    assert_eq!(store_entries(env, "containers"), [id_of(env, &name)]);
});

both_modes!(a_killed_monitor_leaves_an_exited_container, |env| {
    env.load(fixtures::busybox());
    let name = env.name("orphan");
    env.berth(["run", "-d", "--name", &name, "--restart", "always"])
        .args(["busybox", "sleep", "1000"])
        .assert_success();
    let s = state(env, &name);
    let pid = s["pid"].as_i64().unwrap();
    // As root, a paused-then-unpaused run has a freezer cgroup: the monitor cannot remove
    // it once killed, rm must.
    let cgroup = if !env.rootless() && freezer_available() {
        env.berth(["pause", &name]).assert_success();
        env.berth(["unpause", &name]).assert_success();
        let c = state(env, &name)["freezer"]["path"]
            .as_str()
            .map(std::path::PathBuf::from);
        assert!(c.as_ref().is_some_and(|c| c.exists()), "{c:?}");
        c
    } else {
        None
    };
    kill9(s["monitor_pid"].as_i64().unwrap());
    // The container dies with its monitor, and nothing restarts it.
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while proc.exists()
        && !std::fs::read_to_string(proc.join("stat")).is_ok_and(|s| s.contains(") Z"))
    {
        assert!(
            Instant::now() < deadline,
            "the container outlived its monitor"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let shown = env
        .berth(["ps", "-a", "--format", "{{.Names}} {{.State}}"])
        .assert_success();
    assert_eq!(shown.stdout, format!("{name} exited\n"));
    assert!(status_of(env, &name).starts_with("Exited (255)"));
    env.berth(["wait", &name])
        .assert_success()
        .stdout_is("255\n");
    env.berth(["stop", &name]).assert_success();
    env.berth(["rm", &name]).assert_success();
    assert!(store_entries(env, "containers").is_empty());
    if let Some(c) = cgroup {
        assert!(!c.exists(), "{} left behind", c.display());
    }
});

/// True when berth as root can make a freezer cgroup here: cgroup v2 at /sys/fs/cgroup, or a
/// v1 freezer hierarchy. Otherwise says why the test is skipped (a failure under
/// BERTH_TEST_REQUIRE=1).
fn freezer_available() -> bool {
    let v2 = std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
    let v1 = std::fs::read_to_string("/proc/self/mountinfo").is_ok_and(|m| {
        m.lines().any(|l| {
            l.split_once(" - ").is_some_and(|(_, post)| {
                post.starts_with("cgroup ") && post.split([' ', ',']).any(|o| o == "freezer")
            })
        })
    });
    if v1 || v2 {
        return true;
    }
    let why = "needs cgroup v2 at /sys/fs/cgroup or a cgroup v1 freezer hierarchy";
    assert!(
        !crate::support::require_strict(),
        "{why} (BERTH_TEST_REQUIRE=1)"
    );
    eprintln!("skipped: {why}");
    false
}

both_modes!(pause_freezes_and_unpause_thaws, |env| {
    env.load(fixtures::busybox());
    let name = env.name("ice");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg("i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done")
        .assert_success();
    wait_log_lines(env, &name, 2);
    if env.rootless() {
        // Root-only on this host: a rootless container has no cgroup to freeze in, and says so.
        env.berth(["pause", &name])
            .assert_exit(125)
            .stderr_contains("this rootless container has none");
        assert_eq!(state(env, &name)["paused"], false);
        env.berth(["rm", "-f", &name]).assert_success();
        return;
    }
    if !freezer_available() {
        return;
    }
    env.berth(["pause", &name])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    let status = status_of(env, &name);
    assert!(
        status.starts_with("Up ") && status.ends_with("(Paused)"),
        "{status}"
    );
    let frozen = env.berth(["logs", &name]).assert_success().stdout;
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        env.berth(["logs", &name]).assert_success().stdout,
        frozen,
        "the container ran on while paused"
    );
    env.berth(["ps", "--filter", "status=paused", "--format", "{{.Names}}"])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
    env.berth(["container", "pause", &name])
        .assert_exit(125)
        .stderr_contains("already paused");
    env.berth(["unpause", &name]).assert_success();
    wait_log_lines(env, &name, frozen.lines().count() + 3);
    env.berth(["unpause", &name])
        .assert_exit(125)
        .stderr_contains("is not paused");
    // A paused container still stops (thawed after the signal) and leaves no cgroup behind.
    env.berth(["pause", &name]).assert_success();
    let cgroup = state(env, &name)["freezer"]["path"]
        .as_str()
        .expect("the freezer cgroup is recorded")
        .to_string();
    assert!(std::path::Path::new(&cgroup).exists());
    env.berth(["stop", "-t", "1", &name]).assert_success();
    assert_eq!(state(env, &name)["paused"], false);
    assert!(
        !std::path::Path::new(&cgroup).exists(),
        "{cgroup} left behind"
    );
    env.berth(["pause", &name])
        .assert_exit(125)
        .stderr_contains("is not running");
    // rm -f of a paused one works too.
    let other = env.name("ice2");
    env.berth(["run", "-d", "--name", &other, "busybox", "sleep", "1000"])
        .assert_success();
    env.berth(["pause", &other]).assert_success();
    env.berth(["rm", "-f", &other])
        .timeout(Duration::from_secs(20))
        .assert_success();
});

both_modes!(attach_relays_stdio_and_returns_the_exit_code, |env| {
    env.load(fixtures::busybox());
    let name = env.name("talk");
    env.berth(["run", "-d", "-i", "--name", &name, "busybox", "sh", "-c"])
        .arg("while read l; do echo \"got $l\"; echo \"err $l\" >&2; [ $l = quit ] && exit 5; done")
        .assert_success();
    env.berth(["attach", &name])
        .stdin("one\nquit\n")
        .timeout(Duration::from_secs(30))
        .assert_exit(5)
        .stdout_is("got one\ngot quit\n")
        .stderr_is("err one\nerr quit\n");
    assert_eq!(
        env.berth(["logs", &name]).assert_success().stdout,
        "got one\ngot quit\n"
    );
    env.berth(["attach", &name])
        .assert_exit(125)
        .stderr_contains("is not running");
    env.berth(["attach", "--detach-keys", "ctrl-", &name])
        .assert_exit(125)
        .stderr_contains("--detach-keys");
});

both_modes!(attach_detaches_on_ctrl_p_ctrl_q, |env| {
    env.load(fixtures::busybox());
    let name = env.name("stay");
    env.berth(["run", "-d", "-i", "--name", &name, "busybox", "sh", "-c"])
        .arg("while read l; do echo \"got $l\"; done")
        .assert_success();
    // What follows the detach keys is never sent.
    env.berth(["container", "attach", &name])
        .stdin(b"a\n\x10\x11b\n".to_vec())
        .timeout(Duration::from_secs(30))
        .assert_success();
    assert_eq!(wait_log_lines(env, &name, 1), "got a\n");
    assert_eq!(state(env, &name)["status"], "running");
    // Other keys, and --no-stdin.
    env.berth(["attach", "--detach-keys", "ctrl-x,y", &name])
        .stdin(b"c\n\x18yd\n".to_vec())
        .timeout(Duration::from_secs(30))
        .assert_success();
    assert_eq!(wait_log_lines(env, &name, 2), "got a\ngot c\n");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        env.berth(["logs", &name]).assert_success().stdout,
        "got a\ngot c\n"
    );
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(attach_proxies_signals, |env| {
    env.load(fixtures::busybox());
    let name = env.name("proxy");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg(format!("trap 'echo int; exit 9' INT; echo ready; {IDLE}"))
        .assert_success();
    wait_log_lines(env, &name, 1);
    let out = env.path("attach.out");
    let mut attach = crate::container::Guard(
        env.berth(["attach", "--no-stdin", &name])
            .spawn_with_stdout(&out),
    );
    // Proxying once attach blocks SIGINT (for its signalfd): then interrupt the CLI.
    let pid = i32::try_from(attach.0.id()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("SigBlk:"))
            .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
            .is_some_and(|m| m & (1 << (libc::SIGINT - 1)) != 0)
    }) {
        assert!(Instant::now() < deadline, "attach never started proxying");
        std::thread::sleep(Duration::from_millis(10));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGINT,
    )
    .expect("signalling attach");
    let status = attach.0.wait().expect("waiting for attach");
    assert_eq!(
        status.code(),
        Some(9),
        "attach exits with the container's code"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "int\n");
    env.berth(["wait", &name]).assert_success().stdout_is("9\n");
});

both_modes!(a_foreground_run_stays_attached_across_restarts, |env| {
    env.load(fixtures::busybox());
    let name = env.name("fg");
    env.berth(["run", "--name", &name, "--restart", "on-failure:2"])
        .args(["busybox", "sh", "-c", "echo try; exit 3"])
        .timeout(Duration::from_secs(30))
        .assert_exit(3)
        .stdout_is("try\ntry\ntry\n");
    let s = state(env, &name);
    assert_eq!(
        (s["status"].as_str(), s["restart_count"].as_u64()),
        (Some("exited"), Some(2))
    );
    // start -a starts the count afresh and follows the same policy.
    env.berth(["start", "-a", &name])
        .timeout(Duration::from_secs(30))
        .assert_exit(3)
        .stdout_is("try\ntry\ntry\n");
    assert_eq!(state(env, &name)["restart_count"], 2);
});

both_modes!(pause_uses_cgroup_v2_freeze_on_a_v2_host, |env| {
    if env.rootless() {
        // Not a missing prerequisite: rootless berth makes no cgroup to freeze in (tested in
        // pause_freezes_and_unpause_thaws), on any host.
        eprintln!("skipped: pausing is root-only (rootless berth makes no cgroup)");
        return;
    }
    require!(crate::support::Need::Tool("unshare"));
    env.load(fixtures::busybox());
    let name = env.name("v2");
    // A private mount namespace whose /sys/fs/cgroup is the cgroup2 tree (TESTING.md): a
    // pure-v2 view of this hybrid host, the host's mounts untouched.
    let b = format!(
        "{} --root {} --runroot {}",
        crate::support::berth_bin().display(),
        env.root.display(),
        env.runroot.display()
    );
    let script = format!(
        r#"set -e
mount -t cgroup2 cgroup2 /sys/fs/cgroup
trap '{b} rm -f {name} >/dev/null 2>&1' EXIT
{b} run -d --name {name} busybox sh -c 'while :; do echo x; sleep 0.05; done' >/dev/null
sleep 0.3
{b} pause {name} >/dev/null
cg=$(sed -n 's|.*"freezer":{{"version":"v2","path":"\([^"]*\)"}}.*|\1|p' {root}/containers/*/state.json)
[ -d "$cg" ] || {{ echo "no v2 freezer cgroup recorded"; exit 1; }}
grep -qx 'frozen 1' "$cg/cgroup.events"
a=$({b} logs {name} | wc -l); sleep 0.4; b=$({b} logs {name} | wc -l)
[ "$a" = "$b" ] || {{ echo "ran on while paused: $a $b"; exit 1; }}
{b} unpause {name} >/dev/null
grep -qx 'frozen 0' "$cg/cgroup.events"
{b} rm -f {name} >/dev/null
trap - EXIT
[ ! -e "$cg" ] || {{ echo "$cg left behind"; exit 1; }}
echo ok"#,
        root = env.root.display()
    );
    env.command(
        "unshare",
        ["--mount", "--propagation", "private", "sh", "-c", &script],
    )
    .timeout(Duration::from_secs(60))
    .assert_success()
    .stdout_is("ok\n");
});

both_modes!(a_paused_rm_container_leaves_no_cgroup, |env| {
    if env.rootless() || !freezer_available() {
        eprintln!("skipped: pausing is root-only (rootless berth makes no cgroup)");
        return;
    }
    env.load(fixtures::busybox());
    let name = env.name("once");
    env.berth([
        "run", "-d", "--rm", "--name", &name, "busybox", "sleep", "1000",
    ])
    .assert_success();
    env.berth(["pause", &name]).assert_success();
    let cgroup = std::path::PathBuf::from(state(env, &name)["freezer"]["path"].as_str().unwrap());
    env.berth(["kill", &name]).assert_success();
    assert!(!cgroup.exists(), "{} left behind", cgroup.display());
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(twenty_parallel_run_d_all_succeed, |env| {
    env.load(fixtures::busybox());
    let names: Vec<String> = (0..20).map(|i| env.name(&format!("par{i}"))).collect();
    let outs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|n| {
                s.spawn(move || {
                    env.berth(["run", "-d", "--name", n, "busybox", "sleep", "1000"])
                        .timeout(Duration::from_secs(120))
                        .run()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (n, out) in names.iter().zip(&outs) {
        assert_eq!(out.code, Some(0), "run -d --name {n}: {out:?}");
        assert_eq!(out.stdout.trim().len(), 64, "{n}: {out:?}");
    }
    let out = env.berth(["ps", "-q", "--no-trunc"]).assert_success();
    assert_eq!(out.stdout.lines().count(), 20, "{}", out.stdout);
    let mut rm = env.berth(["rm", "-f"]);
    for n in &names {
        rm = rm.arg(n);
    }
    rm.timeout(Duration::from_secs(120)).assert_success();
    assert!(store_entries(env, "containers").is_empty());
});

both_modes!(rm_f_during_logs_f_ends_the_follower_cleanly, |env| {
    env.load(fixtures::busybox());
    let name = env.name("follow");
    env.berth(["run", "-d", "--name", &name, "busybox", "sh", "-c"])
        .arg("while :; do echo tick; sleep 0.05; done")
        .assert_success();
    let out_path = env.path("follow.out");
    let mut follower = env
        .berth(["logs", "-f", &name])
        .spawn_with_stdout(&out_path);
    // Some output has been followed.
    let start = Instant::now();
    while !std::fs::read_to_string(&out_path)
        .unwrap_or_default()
        .contains("tick")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing followed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    env.berth(["rm", "-f", &name]).assert_success();
    let start = Instant::now();
    let status = loop {
        if let Some(st) = follower.try_wait().expect("polling the follower") {
            break st;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = follower.kill();
            let _ = follower.wait();
            panic!("logs -f still runs 10 s after rm -f");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "logs -f ended with {status}");
});

both_modes!(wait_reports_the_exit_of_a_rm_container, |env| {
    env.load(fixtures::busybox());
    let name = env.name("rmwait");
    env.berth(["run", "-d", "--rm", "--name", &name, "busybox", "sh", "-c"])
        .arg("sleep 0.5; exit 7")
        .assert_success();
    // The container removes itself while wait waits: its code comes from the event log.
    env.berth(["wait", &name])
        .timeout(Duration::from_secs(30))
        .assert_success()
        .stdout_is("7\n");
    assert!(store_entries(env, "containers").is_empty());
});
