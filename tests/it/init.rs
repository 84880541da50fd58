//! `berth run --init`: berth's own init as the container's PID 1. It reaps orphans, forwards
//! signals to the command, passes the command's exit code through, keeps the terminal's job
//! control working with `-t`, and does not expose the host's berth binary, its environment or
//! its command line through /proc/1 (SECURITY.md I4).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Cmd, Need, TestEnv, berth_bin, fixtures};

/// `berth run --rm --init` with the busybox fixture loaded.
fn init_run(env: &TestEnv) -> Cmd {
    env.load(fixtures::busybox());
    env.berth(["run", "--rm", "--init"])
}

/// `script -qec "exec berth … run --rm --init ARGS" /dev/null`: berth under a real
/// pseudo-terminal, with script's exit code being berth's. `exec`, so that a ^C typed there
/// reaches berth alone, not a shell around it.
fn under_pty(env: &TestEnv, run_args: &str) -> Cmd {
    let line = format!(
        "exec {} --root {} --runroot {} run --rm --init {run_args}",
        berth_bin().display(),
        env.root.display(),
        env.runroot.display()
    );
    env.command("script", ["-qec", line.as_str(), "/dev/null"])
}

/// Polls `out` until it contains `needle`, failing the test at `deadline`.
fn wait_for_output(out: &Path, needle: &str, deadline: Instant) {
    while !std::fs::read_to_string(out)
        .unwrap_or_default()
        .contains(needle)
    {
        assert!(
            Instant::now() < deadline,
            "never saw {needle:?}; output so far: {:?}",
            std::fs::read_to_string(out).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_with_deadline(
    mut child: std::process::Child,
    deadline: Instant,
) -> std::process::ExitStatus {
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("berth did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

both_modes!(exits_when_the_command_does, |env| {
    // The command ends after 0.1 s; its background child would run for 100 s. The init exits
    // with the command and the kernel ends the rest of the pid namespace.
    let out = init_run(env)
        .args(["busybox", "sh", "-c", "sleep 100 & exec sleep 0.1"])
        .assert_success();
    assert!(
        out.elapsed < Duration::from_secs(30),
        "berth waited for the background child: {:?}",
        out.elapsed
    );
});

both_modes!(pid_1_is_the_init_and_the_command_its_child, |env| {
    let out = init_run(env)
        .args([
            "busybox",
            "sh",
            "-c",
            "echo $$ $PPID; cat /proc/1/comm; ps -o pid,comm",
        ])
        .assert_success();
    let lines = out.lines();
    let ids: Vec<&str> = lines[0].split(' ').collect();
    assert_ne!(ids[0], "1", "the command is PID 1:\n{}", out.stdout);
    assert_eq!(
        ids[1], "1",
        "the command's parent is not PID 1:\n{}",
        out.stdout
    );
    assert_eq!(lines[1], "init", "{}", out.stdout);
    let pid1 = lines[3..]
        .iter()
        .find(|l| l.split_whitespace().next() == Some("1"))
        .unwrap_or_else(|| panic!("ps shows no PID 1:\n{}", out.stdout));
    assert!(pid1.ends_with(" init"), "{}", out.stdout);
});

both_modes!(command_state_is_as_without_init, |env| {
    // The fork comes after all setup, and the command's process resets signals and fds after
    // it: what it sees of itself (SECURITY.md I3, I15, I17) is what it sees without --init.
    let script = "grep -E '^(Uid|Gid|Groups|SigBlk|SigIgn|Cap[A-Za-z]+|NoNewPrivs|Seccomp):' \
        /proc/self/status; ls /proc/self/fd; umask; pwd";
    let with = init_run(env)
        .args(["-w", "/tmp", "busybox", "sh", "-c", script])
        .assert_success();
    let without = env
        .berth(["run", "--rm", "-w", "/tmp", "busybox", "sh", "-c", script])
        .assert_success();
    assert_eq!(with.stdout, without.stdout);
    assert!(
        with.stdout.contains("SigBlk:\t0000000000000000\n"),
        "{}",
        with.stdout
    );
});

both_modes!(orphans_are_reaped, |env| {
    // The subshell exits at once, so its `sleep 0` is reparented to PID 1 and ends there. Until
    // PID 1 reaps it, /proc/PID stays, in state Z: wait (up to 20 s) for it to go away.
    let script = "\
        (sleep 0 & echo $! > /tmp/orphan); p=$(cat /tmp/orphan); i=0; \
        while [ -e /proc/$p ]; do \
          i=$((i+1)); \
          if [ $i -gt 400 ]; then echo \"not reaped: $(cat /proc/$p/stat)\"; exit 1; fi; \
          sleep 0.05; \
        done; \
        echo reaped; ps -o pid,stat,comm";
    let out = init_run(env)
        .args(["busybox", "sh", "-c", script])
        .assert_success()
        .stdout_contains("reaped\n");
    for row in out.lines().iter().skip(2) {
        let stat = row.split_whitespace().nth(1).unwrap_or_default();
        assert!(!stat.starts_with('Z'), "a zombie is left:\n{}", out.stdout);
    }
});

both_modes!(exit_codes_pass_through, |env| {
    init_run(env)
        .args(["busybox", "sh", "-c", "exit 3"])
        .assert_exit(3);
    init_run(env).args(["busybox", "true"]).assert_success();
    // The command is not PID 1, so its own signals kill it (without --init, `kill -9 $$`
    // is ignored: see run::killed_by_signal_is_128_plus_n).
    init_run(env)
        .args(["busybox", "sh", "-c", "kill -9 $$; echo survived"])
        .assert_exit(128 + 9)
        .stdout_empty();
    init_run(env)
        .args(["busybox", "sh", "-c", "kill -TERM $$; echo survived"])
        .assert_exit(128 + 15)
        .stdout_empty();
});

both_modes!(command_errors_are_126_and_127, |env| {
    // Found by the lookup before the fork.
    init_run(env)
        .args(["busybox", "nosuchcmd"])
        .assert_exit(127)
        .stderr_contains("executable file not found");
    init_run(env)
        .args(["busybox", "/etc/passwd"])
        .assert_exit(126)
        .stderr_mentions_any(&["permission denied"]);
    // Executable files that execve itself refuses, in the forked command's process: a missing
    // interpreter (ENOENT) and a file that is neither ELF nor a script (ENOEXEC).
    let dir = env.path("bin");
    std::fs::create_dir(&dir).unwrap();
    for (name, text) in [
        ("nointerp", "#!/no/such/interpreter\n"),
        ("garbage", "\x01\x02junk\n"),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let volume = format!("{}:/x:ro", dir.display());
    init_run(env)
        .args(["-v", &volume, "busybox", "/x/nointerp"])
        .assert_exit(127)
        .stderr_contains("/x/nointerp");
    init_run(env)
        .args(["-v", &volume, "busybox", "/x/garbage"])
        .assert_exit(126)
        .stderr_contains("/x/garbage");
});

both_modes!(init_hides_the_host_binary, |env| {
    // Each probe prints a marker only if it succeeds; every one must fail. Listing /proc/1/fd
    // needs no ptrace access, only the directory's mode (0500, owned by root of the user
    // namespace berth runs in): container root in root mode is that owner and may list it, so
    // there it must be empty (the init closed every fd); rootless it must fail.
    let script = "\
        readlink /proc/1/exe && echo EXE-VISIBLE; \
        cat /proc/1/environ > /dev/null && echo ENVIRON-VISIBLE; \
        ls /proc/1/fd > /tmp/fds && echo FD-LISTED $(wc -w < /tmp/fds); \
        ls /proc/1/root/ > /dev/null && echo ROOT-VISIBLE; \
        readlink /proc/1/cwd && echo CWD-VISIBLE; \
        cat /proc/1/maps > /dev/null && echo MAPS-VISIBLE; \
        echo cmdline:; tr '\\0' '\\n' < /proc/1/cmdline; echo; echo end";
    let out = init_run(env)
        .args(["busybox", "sh", "-c", script])
        .assert_success();
    assert!(
        !out.stdout.contains("-VISIBLE"),
        "the container can reach the init:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    if env.rootless() {
        assert!(out.stderr.contains("/proc/1/fd"), "{}", out.stderr);
        assert!(!out.stdout.contains("FD-LISTED"), "{}", out.stdout);
    } else {
        assert!(out.stdout.contains("FD-LISTED 0\n"), "{}", out.stdout);
    }
    let (_, cmdline) = out.stdout.split_once("cmdline:\n").unwrap();
    let (cmdline, _) = cmdline.split_once("end").unwrap();
    let shown: Vec<&str> = cmdline.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(shown, ["init"], "/proc/1/cmdline: {cmdline:?}");
    for host in [berth_bin(), env.root.clone(), env.runroot.clone()] {
        assert!(!cmdline.contains(host.to_str().unwrap()), "{cmdline:?}");
    }
    // The command itself is an ordinary process: its own /proc/self/exe is readable.
    init_run(env)
        .args(["busybox", "readlink", "/proc/self/exe"])
        .assert_success()
        .stdout_is("/bin/busybox\n");
});

both_modes!(signals_are_forwarded_to_the_command, |env| {
    env.load(fixtures::busybox());
    // berth gets TERM, passes it to PID 1 (the init), which passes it to the command.
    let out = env.path("out");
    let child = env
        .berth(["run", "--rm", "--init"])
        .args([
            "busybox",
            "sh",
            "-c",
            "trap 'echo got TERM; exit 5' TERM; echo ready; sleep 30 & wait",
        ])
        .spawn_with_stdout(&out);
    let deadline = Instant::now() + Duration::from_secs(20);
    wait_for_output(&out, "ready", deadline);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = wait_with_deadline(child, deadline);
    assert_eq!(
        status.code(),
        Some(5),
        "berth exits with the command's code"
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("got TERM"));
});

both_modes!(tty_command_is_the_foreground_group, |env| {
    require!(Need::Tool("script"));
    env.load(fixtures::busybox());
    // Fields 5, 6 and 8 of /proc/PID/stat: process group, session, terminal's foreground
    // group. cat runs in the command's group.
    let out = under_pty(
        env,
        "-t busybox sh -c 'set -- $(cat /proc/self/stat); echo $5 $6 $8'",
    )
    .assert_success();
    let text = out.stdout.replace('\r', "");
    let f: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(f.len(), 3, "{text:?}");
    assert_ne!(
        f[0], "1",
        "the command is in the init's process group: {text:?}"
    );
    assert_eq!(f[1], "1", "the init is not the session leader: {text:?}");
    assert_eq!(
        f[0], f[2],
        "the command is not the foreground group: {text:?}"
    );
    // An interactive shell gets job control.
    let out = under_pty(env, "-it busybox sh")
        .stdin("echo hi-from-tty\nexit 3\n")
        .assert_exit(3);
    let text = out.stdout.replace('\r', "");
    assert!(text.contains("\nhi-from-tty\n"), "{text:?}");
    assert!(!text.contains("job control"), "{text:?}");
});

/// Runs a command that traps SIGINT under `script` with `run_args` (`-t` or `-it`), types ^C
/// once it is ready and checks the trap ran.
fn ctrl_c_reaches_the_command(env: &TestEnv, flags: &str) {
    require!(Need::Tool("script"), Need::Tool("mkfifo"));
    env.load(fixtures::busybox());
    // stdin is a FIFO, so the ^C can wait until the command is ready.
    let fifo = env.path(&format!("stdin{flags}"));
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    if let Some(u) = &env.user {
        std::os::unix::fs::chown(&fifo, Some(u.uid), Some(u.gid)).unwrap();
    }
    let writer = {
        let fifo = fifo.clone();
        // Opening a FIFO blocks until the other end opens: the spawn below opens it to read.
        std::thread::spawn(move || std::fs::OpenOptions::new().write(true).open(fifo).unwrap())
    };
    let out = env.path(&format!("out{flags}"));
    let child = under_pty(
        env,
        &format!(
            "{flags} busybox sh -c 'trap \"echo got-INT; exit 4\" INT; echo ready; while :; do sleep 1; done'"
        ),
    )
    .stdin_file(&fifo)
    .spawn_with_stdout(&out);
    let mut stdin = writer.join().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    wait_for_output(&out, "ready", deadline);
    stdin.write_all(b"\x03").unwrap();
    let status = wait_with_deadline(child, deadline);
    drop(stdin);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(status.code(), Some(4), "{text:?}");
    assert!(text.contains("got-INT"), "{text:?}");
}

both_modes!(ctrl_c_reaches_the_command_with_a_tty, |env| {
    // berth gets SIGINT from the caller's terminal and forwards it through the init.
    ctrl_c_reaches_the_command(env, "-t");
});

both_modes!(ctrl_c_reaches_the_command_interactively, |env| {
    // berth passes the ^C byte on; the container's terminal sends SIGINT to its foreground
    // group, the command's.
    ctrl_c_reaches_the_command(env, "-it");
});
