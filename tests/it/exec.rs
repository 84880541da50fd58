//! `exec` and `top` on running containers: namespaces, identity, environment, exit codes,
//! stdio, confinement equal to the container's, no host fds, and `top`'s columns.

use std::time::{Duration, Instant};

use crate::support::{TestEnv, fixtures};

/// A container running `sleep 1000` (or `cmd`), removed with `rm -f` when dropped, even when
/// the test fails midway.
pub(crate) struct Running<'a> {
    env: &'a TestEnv,
    pub(crate) name: String,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let _ = self
            .env
            .berth(["rm", "-f", &self.name])
            .timeout(Duration::from_secs(30))
            .run();
    }
}

pub(crate) fn running<'a>(env: &'a TestEnv, extra: &[&str], cmd: &[&str]) -> Running<'a> {
    env.load(fixtures::busybox());
    let name = env.name("ex");
    env.berth(["run", "-d", "--name", &name])
        .args(extra)
        .arg("busybox")
        .args(if cmd.is_empty() {
            &["sleep", "1000"][..]
        } else {
            cmd
        })
        .timeout(Duration::from_secs(60))
        .assert_success();
    Running { env, name }
}

/// Runs `berth exec NAME args...` until it prints `expected` (the container may still be
/// starting its command), at most 20 s.
fn exec_until(env: &TestEnv, name: &str, args: &[&str], expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = env.berth(["exec", name]).args(args).run();
        if out.code == Some(0) && out.stdout == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "exec {args:?} never printed {expected:?}: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The `Key:` lines of a /proc/PID/status dump that start with `prefix`.
fn status_lines(status: &str, prefix: &str) -> Vec<String> {
    status
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

both_modes!(exec_joins_every_namespace_of_the_container, |env| {
    let c = running(
        env,
        &["--hostname", "exechost"],
        &["sh", "-c", "echo made > /made-by-init; exec sleep 1000"],
    );
    // Mount namespace: what the container wrote is there.
    exec_until(env, &c.name, &["cat", "/made-by-init"], "made\n");
    // UTS namespace.
    env.berth(["exec", &c.name, "hostname"])
        .assert_success()
        .stdout_is("exechost\n");
    // PID namespace: the container's processes only, its command as pid 1.
    let ps = env
        .berth(["exec", &c.name, "ps", "-o", "pid,args"])
        .assert_success();
    let rows: Vec<Vec<&str>> = ps
        .lines()
        .iter()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "sleep and ps only: {ps:?}");
    assert_eq!(rows[0], ["1", "sleep", "1000"], "{ps:?}");
    assert_eq!(rows[1][1..], ["ps", "-o", "pid,args"], "{ps:?}");
    // Network namespace (--network none): lo only.
    let dev = env
        .berth(["exec", &c.name, "cat", "/proc/net/dev"])
        .assert_success();
    let ifaces: Vec<&str> = dev
        .lines()
        .iter()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(ifaces, ["lo"], "{dev:?}");
    // Written by exec, seen by the container's own processes and by the next exec.
    env.berth(["exec", &c.name, "sh", "-c", "echo fromexec > /tmp/x"])
        .assert_success();
    env.berth(["exec", &c.name, "cat", "/tmp/x"])
        .assert_success()
        .stdout_is("fromexec\n");
    // Same namespaces as pid 1, every one of them.
    let ns = env
        .berth(["exec", &c.name, "sh", "-c"])
        .arg("for n in ipc mnt net pid uts cgroup user; do [ $(readlink /proc/self/ns/$n) = $(readlink /proc/1/ns/$n) ] || echo $n differs; done")
        .assert_success();
    assert_eq!(ns.stdout, "", "{ns:?}");
});

both_modes!(exec_environment_user_and_workdir, |env| {
    let c = running(
        env,
        &["-e", "FROM_RUN=1", "-e", "OVER=run", "-w", "/srv"],
        &[],
    );
    let file = env.write("exec.env", "FROM_FILE=yes\n# comment\n");
    let out = env
        .berth(["exec", "-e", "OVER=exec", "-e", "NEW=2", "--env-file"])
        .arg(&file)
        .args([&c.name, "env"])
        .assert_success();
    let vars: Vec<&str> = out.lines();
    for want in [
        "FROM_RUN=1",
        "OVER=exec",
        "NEW=2",
        "FROM_FILE=yes",
        "HOME=/root",
    ] {
        assert!(vars.contains(&want), "{want} missing: {out:?}");
    }
    assert!(vars.iter().any(|v| v.starts_with("PATH=/")), "{out:?}");
    assert!(!vars.contains(&"OVER=run"), "{out:?}");
    // The container's workdir by default, -w to pick another (which must exist).
    env.berth(["exec", &c.name, "pwd"])
        .assert_success()
        .stdout_is("/srv\n");
    env.berth(["exec", "-w", "/tmp", &c.name, "pwd"])
        .assert_success()
        .stdout_is("/tmp\n");
    env.berth(["exec", "-w", "/nonexistent", &c.name, "pwd"])
        .assert_error()
        .stderr_contains("working directory /nonexistent");
    env.berth(["exec", "-w", "relative", &c.name, "pwd"])
        .assert_error()
        .stderr_contains("absolute path");
    // Users from the container's /etc/passwd.
    env.berth(["exec", "-u", "nobody", &c.name, "id"])
        .assert_success()
        .stdout_contains("uid=65534(nobody)");
    env.berth(["exec", "-u", "nobody", &c.name, "sh", "-c", "echo $HOME"])
        .assert_success()
        .stdout_is("/nonexistent\n");
    env.berth(["exec", "-u", "1234:5678", &c.name, "id", "-u"])
        .assert_success()
        .stdout_is("1234\n");
    env.berth(["exec", &c.name, "id", "-u"])
        .assert_success()
        .stdout_is("0\n");
    env.berth(["exec", "-u", "nosuchuser", &c.name, "id"])
        .assert_error()
        .stderr_contains("unable to find user nosuchuser");
});

both_modes!(exec_exit_codes_like_run, |env| {
    let c = running(env, &[], &[]);
    env.berth(["exec", &c.name, "true"]).assert_success();
    env.berth(["exec", &c.name, "sh", "-c", "exit 3"])
        .assert_exit(3);
    env.berth(["exec", &c.name, "/etc/passwd"])
        .assert_exit(126)
        .stderr_contains("permission denied");
    env.berth(["exec", &c.name, "nosuchcmd"])
        .assert_exit(127)
        .stderr_contains("nosuchcmd");
    env.berth(["exec", &c.name, "sh", "-c", "kill -9 $$"])
        .assert_exit(137);
    env.berth(["exec", "nosuchcontainer", "true"])
        .assert_error()
        .stderr_contains("no such container: nosuchcontainer");
    env.berth(["exec", &c.name])
        .assert_exit(125)
        .stderr_contains("COMMAND");
    env.berth(["exec", "-d", "-t", &c.name, "true"])
        .assert_error()
        .stderr_contains("--detach");
    // Stopped: a clear error, as Podman's.
    let done = env.name("done");
    env.berth(["run", "--name", &done, "busybox", "true"])
        .assert_success();
    env.berth(["exec", &done, "true"])
        .assert_error()
        .stderr_is(&format!("Error: container {done} is not running\n"));
    env.berth(["top", &done])
        .assert_error()
        .stderr_is(&format!("Error: container {done} is not running\n"));
    env.berth(["rm", &done]).assert_success();
});

both_modes!(exec_stdio_detach_and_terminal, |env| {
    let c = running(env, &[], &[]);
    env.berth(["exec", "-i", &c.name, "cat"])
        .stdin("through stdin\n")
        .assert_success()
        .stdout_is("through stdin\n");
    // Without -i the command's stdin is empty.
    env.berth(["exec", &c.name, "cat"])
        .stdin("not passed\n")
        .assert_success()
        .stdout_is("");
    // stdout and stderr stay apart.
    let out = env
        .berth(["exec", &c.name, "sh", "-c", "echo out; echo err >&2"])
        .assert_success();
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("out\n", "err\n")
    );
    // -d: nothing printed, the command runs on.
    env.berth([
        "exec",
        "-d",
        &c.name,
        "sh",
        "-c",
        "sleep 0.2; echo bg > /tmp/d",
    ])
    .assert_success()
    .stdout_is("")
    .stderr_is("");
    exec_until(env, &c.name, &["cat", "/tmp/d"], "bg\n");
    // -t: a terminal of the container's own devpts; without it, none.
    let t = env
        .berth(["exec", "-t", &c.name, "sh", "-c", "tty; echo $TERM"])
        .assert_success();
    assert!(
        t.stdout.starts_with("/dev/pts/") && t.stdout.ends_with("\r\nxterm\r\n"),
        "{t:?}"
    );
    env.berth(["exec", &c.name, "tty"])
        .assert_exit(1)
        .stdout_is("not a tty\n");
    // The rest needs a terminal on berth's side: skipped without util-linux's script, and a
    // failure under BERTH_TEST_REQUIRE=1.
    if crate::support::require(crate::support::Need::Tool("script")) {
        // From a real terminal: -it relays keys and output.
        let cmd = format!(
            "{} --root {} --runroot {} exec -it {} sh -c 'read x; echo got $x'",
            crate::support::berth_bin().display(),
            env.root.display(),
            env.runroot.display(),
            c.name
        );
        let out = env
            .command("script", ["-qec", &cmd, "/dev/null"])
            .stdin("typed\n")
            .timeout(Duration::from_secs(30))
            .assert_success();
        assert!(out.stdout.contains("got typed"), "{out:?}");
    }
});

both_modes!(exec_is_confined_like_the_container, |env| {
    let c = running(env, &[], &[]);
    let of = |who: &str| {
        env.berth(["exec", &c.name, "cat", &format!("/proc/{who}/status")])
            .assert_success()
            .stdout
    };
    let (init, mine) = (of("1"), of("self"));
    for key in ["Cap", "Seccomp:", "NoNewPrivs:"] {
        assert_eq!(
            status_lines(&init, key),
            status_lines(&mine, key),
            "{key} differs between the container's process and exec"
        );
    }
    assert_eq!(status_lines(&mine, "Seccomp:"), ["Seccomp:\t2"]);
    assert_eq!(
        status_lines(&mine, "CapAmb:"),
        ["CapAmb:\t0000000000000000"]
    );
    // Another user gets no capabilities to use, within the same bounding set.
    let nobody = env
        .berth(["exec", "-u", "nobody", &c.name, "cat", "/proc/self/status"])
        .assert_success()
        .stdout;
    assert_eq!(
        status_lines(&nobody, "CapEff:"),
        ["CapEff:\t0000000000000000"]
    );
    assert_eq!(
        status_lines(&nobody, "CapBnd:"),
        status_lines(&mine, "CapBnd:")
    );
    // --privileged: every capability, same filter.
    let privileged = env
        .berth(["exec", "--privileged", &c.name, "cat", "/proc/self/status"])
        .assert_success()
        .stdout;
    assert_ne!(
        status_lines(&privileged, "CapEff:"),
        status_lines(&mine, "CapEff:")
    );
    assert_eq!(status_lines(&privileged, "Seccomp:"), ["Seccomp:\t2"]);
    // No host fd reaches the command, and it starts inside the root.
    // (A child's once it runs sleep: busybox runs ls inside sh itself, where it would list
    // its own fd.)
    let fds = env
        .berth([
            "exec",
            &c.name,
            "sh",
            "-c",
            "sleep 5 & p=$!; until [ $(cat /proc/$p/comm) = sleep ]; do :; done; ls /proc/$p/fd; kill $p",
        ])
        .assert_success();
    assert_eq!(fds.stdout, "0\n1\n2\n", "only stdio: {fds:?}");
    let links = env
        .berth(["exec", &c.name, "sh", "-c"])
        .arg("for f in /proc/$$/fd/* /proc/$$/cwd /proc/$$/root; do readlink $f; done")
        .assert_success();
    let dir = env.dir.display().to_string();
    assert!(!links.stdout.contains(&dir), "host paths: {links:?}");
    assert!(links.stdout.ends_with("/\n/\n"), "{links:?}");
    // /proc/self/exe of the exec'd command is its own binary, never berth.
    env.berth(["exec", &c.name, "readlink", "/proc/self/exe"])
        .assert_success()
        .stdout_is("/bin/busybox\n");
});

both_modes!(top_lists_the_containers_processes, |env| {
    let c = running(env, &[], &[]);
    env.berth(["exec", "-d", "-u", "nobody", &c.name, "sleep", "999"])
        .assert_success();
    // Default columns, Podman's.
    let deadline = Instant::now() + Duration::from_secs(20);
    let out = loop {
        let out = env.berth(["top", &c.name]).assert_success();
        if out.stdout.contains("sleep 999") || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let lines = out.lines();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"
        ]
    );
    let rows: Vec<Vec<&str>> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{out:?}");
    assert_eq!(rows[0][..3], ["root", "1", "0"], "{out:?}");
    assert_eq!(rows[0][5], "?", "{out:?}");
    assert_eq!(rows[0][7..], ["sleep", "1000"], "{out:?}");
    assert!(
        rows[0][4].ends_with('s'),
        "ELAPSED as Go prints it: {out:?}"
    );
    assert_eq!(rows[1][0], "nobody", "{out:?}");
    assert_eq!(rows[1][2], "0", "exec'd from outside: {out:?}");
    assert_eq!(rows[1][7..], ["sleep", "999"], "{out:?}");
    // Descriptors, by name or AIX code, in one argument or several.
    env.berth(["top", &c.name, "pid", "comm"])
        .assert_success()
        .stdout_contains("PID")
        .stdout_contains("COMMAND");
    let out = env
        .berth(["top", &c.name, "%p,user", "args"])
        .assert_success();
    let first: Vec<&str> = out.lines()[1].split_whitespace().collect();
    assert_eq!(first, ["1", "root", "sleep", "1000"], "{out:?}");
    let hpid = env.berth(["top", &c.name, "hpid"]).assert_success();
    assert_ne!(hpid.lines()[1].trim(), "1", "host pids differ: {hpid:?}");
    env.berth(["top", &c.name, "pid", "bogus"])
        .assert_error()
        .stderr_contains("unknown descriptor \"bogus\"");
    env.berth(["container", "top", "nosuch"])
        .assert_error()
        .stderr_contains("no such container");
});

both_modes!(exec_and_top_under_berths_init, |env| {
    let c = running(env, &["--init"], &[]);
    let ps = env
        .berth(["exec", &c.name, "ps", "-o", "pid,args"])
        .assert_success();
    assert!(
        ps.stdout.contains("    1 init\n") && ps.stdout.contains("    2 sleep 1000\n"),
        "{ps:?}"
    );
    env.berth(["exec", "-u", "nobody", &c.name, "id", "-u"])
        .assert_success()
        .stdout_is("65534\n");
    let top = env
        .berth(["top", &c.name, "user,pid,ppid,args"])
        .assert_success();
    let rows: Vec<Vec<&str>> = top.lines()[1..]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["root", "1", "0", "init"],
            vec!["root", "2", "1", "sleep", "1000"]
        ],
        "{top:?}"
    );
});

both_modes!(exec_forwards_signals_to_the_command, |env| {
    let c = running(env, &[], &[]);
    let mut cli = env
        .berth(["exec", &c.name, "sh", "-c"])
        .arg("trap 'exit 7' TERM; touch /tmp/ready; while :; do sleep 0.1; done")
        .spawn();
    exec_until(env, &c.name, &["cat", "/tmp/ready"], "");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(cli.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = cli.wait().unwrap();
    assert_eq!(status.code(), Some(7), "the trap's exit code comes back");
});

both_modes!(exec_output_arrives_whole_and_host_network_is_kept, |env| {
    let c = running(env, &["--network", "host"], &[]);
    let out = env
        .berth(["exec", &c.name, "seq", "100000"])
        .timeout(Duration::from_secs(60))
        .assert_success();
    let lines = out.lines();
    assert_eq!(lines.len(), 100_000);
    assert_eq!((lines[0], lines[99_999]), ("1", "100000"));
    // --network host: the container shares the host's network namespace, and so does exec.
    let host = std::fs::read_link("/proc/self/ns/net").unwrap();
    env.berth(["exec", &c.name, "readlink", "/proc/self/ns/net"])
        .assert_success()
        .stdout_is(&format!("{}\n", host.display()));
});

both_modes!(exec_runs_as_the_containers_user_by_default, |env| {
    let c = running(env, &["-u", "nobody", "-e", "HOME=/tmp"], &[]);
    env.berth(["exec", &c.name, "sh", "-c", "id -u; echo $HOME"])
        .assert_success()
        .stdout_is("65534\n/tmp\n");
    env.berth(["exec", "-u", "0", &c.name, "id", "-u"])
        .assert_success()
        .stdout_is("0\n");
    // Each exec is an event, as in Docker.
    let events = env
        .berth(["events", "--stream=false", "--filter", "event=exec_create"])
        .args(["--format", "{{.Action}} {{.Actor.Attributes.name}}"])
        .assert_success();
    let line = format!("exec_create {}", c.name);
    assert_eq!(events.lines(), [line.as_str(), line.as_str()], "{events:?}");
});
