//! `berth run`: exit codes, stdio, namespaces, the root filesystem, /proc, /dev and /sys, the
//! process's identity, environment and working directory, entrypoints, names, fds and rlimits.
//!
//! Most tests use `--rm`; tests/it/container.rs covers containers that outlive their run. The
//! busybox fixture has /bin/busybox with its applet links, /etc/passwd and /etc/group (root,
//! nobody) and /tmp; it has no /proc, /dev or /sys, which berth must provide.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{Cmd, Need, TestEnv, berth_bin, fixtures};

/// `berth run --rm` with this environment's store.
fn run(env: &TestEnv) -> Cmd {
    env.berth(["run", "--rm"])
}

/// Loads the busybox fixture and returns `berth run --rm`.
fn bb(env: &TestEnv) -> Cmd {
    env.load(fixtures::busybox());
    run(env)
}

/// A directory in the scratch space, owned by the user berth runs as (so that container root,
/// which is that user when rootless, can write to it).
pub(crate) fn host_dir(env: &TestEnv, name: &str) -> PathBuf {
    let d = env.path(name);
    std::fs::create_dir_all(&d).expect("creating host dir");
    chown_to_env_user(env, &d);
    d
}

fn chown_to_env_user(env: &TestEnv, p: &Path) {
    if let Some(u) = &env.user {
        std::os::unix::fs::lchown(p, Some(u.uid), Some(u.gid)).expect("chown");
    }
}

/// Writes `contents` to `path` and gives it to the user berth runs as.
fn host_file(env: &TestEnv, path: &Path, contents: &str) {
    std::fs::write(path, contents).expect("writing host file");
    chown_to_env_user(env, path);
}

/// `-v SRC:DST[:MODE]` as one argument.
pub(crate) fn vol(src: &Path, dst: &str, mode: Option<&str>) -> String {
    match mode {
        Some(m) => format!("{}:{dst}:{m}", src.display()),
        None => format!("{}:{dst}", src.display()),
    }
}

/// The value of `Key:` in a `/proc/PID/status` dump.
pub(crate) fn status_field<'a>(status: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}:");
    status
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {key}: in /proc/self/status:\n{status}"))
        .trim()
}

/// Interface names in a `/proc/net/dev` dump, sorted.
fn net_dev_names(dev: &str) -> Vec<String> {
    let mut v: Vec<String> = dev
        .lines()
        .skip(2)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, _)| n.trim().to_string())
        .collect();
    v.sort();
    v
}

/// One line of `/proc/PID/mountinfo`.
#[derive(Debug)]
struct Mount {
    point: String,
    opts: String,
    fstype: String,
}

fn mounts(mountinfo: &str) -> Vec<Mount> {
    mountinfo
        .lines()
        .filter_map(|l| {
            let (pre, post) = l.split_once(" - ")?;
            let f: Vec<&str> = pre.split(' ').collect();
            Some(Mount {
                point: f.get(4)?.to_string(),
                opts: f.get(5)?.to_string(),
                fstype: post.split(' ').next()?.to_string(),
            })
        })
        .collect()
}

/// The last mount at `point` (the one a path lookup sees).
fn mount_at<'a>(ms: &'a [Mount], point: &str, mountinfo: &str) -> &'a Mount {
    ms.iter()
        .rev()
        .find(|m| m.point == point)
        .unwrap_or_else(|| panic!("nothing mounted at {point}:\n{mountinfo}"))
}

/// `(soft, hard)` of a `/proc/PID/limits` row such as `Max open files`; `None` for unlimited.
fn limits_row(limits: &str, row: &str) -> (Option<u64>, Option<u64>) {
    let line = limits
        .lines()
        .find(|l| l.starts_with(row))
        .unwrap_or_else(|| panic!("no {row:?} in limits:\n{limits}"));
    let mut f = line[row.len()..].split_whitespace();
    let val = |s: Option<&str>| s.and_then(|s| s.parse::<u64>().ok());
    (val(f.next()), val(f.next()))
}

/// Polls for `path` to exist (a container announcing it is running), for up to `secs`.
pub(crate) fn wait_for(path: &Path, secs: u64, still_running: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if path.exists() {
            return true;
        }
        if !still_running() {
            return path.exists();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Entries of a store subdirectory (`containers`, `names`); empty when it does not exist.
pub(crate) fn store_entries(env: &TestEnv, sub: &str) -> Vec<String> {
    std::fs::read_dir(env.root.join(sub))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The command line and exit codes

both_modes!(run_help_lists_the_flags, |env| {
    let out = env
        .berth(["run", "--help"])
        .assert_success()
        .stdout_contains("Usage:");
    for flag in [
        "--rm",
        "--interactive",
        "--name",
        "--env",
        "--env-file",
        "--workdir",
        "--user",
        "--group-add",
        "--hostname",
        "--entrypoint",
        "--volume",
        "--tmpfs",
        "--read-only",
        "--network",
        "--ulimit",
    ] {
        assert!(
            out.stdout.contains(flag),
            "run --help lacks {flag}:\n{}",
            out.stdout
        );
    }
});

both_modes!(echo_hello, |env| {
    bb(env)
        .args(["busybox", "echo", "hello"])
        .assert_success()
        .stdout_is("hello\n");
    // The full reference and the image id work too.
    let img = fixtures::busybox();
    run(env)
        .args([img.full_reference.as_str(), "echo", "full"])
        .assert_success()
        .stdout_is("full\n");
    run(env)
        .args([img.short_id(), "echo", "id"])
        .assert_success()
        .stdout_is("id\n");
});

both_modes!(exit_code_is_the_containers, |env| {
    bb(env).args(["busybox", "true"]).assert_success();
    run(env).args(["busybox", "false"]).assert_exit(1);
    run(env)
        .args(["busybox", "sh", "-c", "exit 3"])
        .assert_exit(3);
    run(env)
        .args(["busybox", "sh", "-c", "exit 255"])
        .assert_exit(255);
});

both_modes!(killed_by_signal_is_128_plus_n, |env| {
    // The command is PID 1 of its pid namespace, and the kernel ignores signals without a handler
    // sent to a namespace's init from inside it: `sh -c 'kill -9 $$'` survives (as in Docker).
    bb(env)
        .args(["busybox", "sh", "-c", "kill -9 $$; echo survived"])
        .assert_success()
        .stdout_is("survived\n");
    // A SIGKILL from the kernel does reach it: hitting the hard CPU-time limit.
    run(env)
        .args([
            "--ulimit",
            "cpu=1:1",
            "busybox",
            "sh",
            "-c",
            "while :; do :; done",
        ])
        .assert_exit(128 + 9);
});

both_modes!(command_not_found_is_127, |env| {
    bb(env)
        .args(["busybox", "nosuchcmd"])
        .assert_exit(127)
        .stderr_contains("executable file not found");
    run(env).args(["busybox", "/no/such/file"]).assert_exit(127);
    // PATH lookup happens inside the container's root, not the host's.
    run(env).args(["busybox", "cargo"]).assert_exit(127);
});

both_modes!(not_executable_is_126, |env| {
    bb(env)
        .args(["busybox", "/etc/passwd"])
        .assert_exit(126)
        .stderr_mentions_any(&["permission denied"]);
    run(env).args(["busybox", "/tmp"]).assert_exit(126);
});

both_modes!(berth_errors_are_125, |env| {
    env.load(fixtures::busybox());
    let v = host_dir(env, "v");
    run(env)
        .args(["--bogus", "busybox", "true"])
        .assert_error()
        .stderr_contains("--bogus");
    run(env)
        .args(["nosuchimage", "true"])
        .assert_error()
        .stdout_empty();
    run(env)
        .args(["--network", "container:nosuch", "busybox", "true"])
        .assert_error()
        .stderr_contains("no such container");
    run(env)
        .args(["--network", "nosuchnet", "busybox", "true"])
        .assert_error();
    run(env)
        .args(["-v", &vol(&v, "/x", Some("bogus")), "busybox", "true"])
        .assert_error();
    run(env)
        .args(["-v", &vol(&v, "relative", None), "busybox", "true"])
        .assert_error();
    run(env).args(["-v", "", "busybox", "true"]).assert_error();
    run(env)
        .args(["-w", "relative", "busybox", "true"])
        .assert_error();
    run(env)
        .args(["--name", "bad name!", "busybox", "true"])
        .assert_error();
    run(env)
        .args(["--ulimit", "nosuchlimit=1", "busybox", "true"])
        .assert_error();
    run(env)
        .args(["--ulimit", "nofile=2048:1024", "busybox", "true"])
        .assert_error();
    run(env).assert_error();
    assert!(
        store_entries(env, "containers").is_empty(),
        "failed runs left containers behind: {:?}",
        store_entries(env, "containers")
    );
    assert!(
        store_entries(env, "names").is_empty(),
        "failed runs left names reserved: {:?}",
        store_entries(env, "names")
    );
});

both_modes!(rm_removes_the_container, |env| {
    bb(env).args(["busybox", "true"]).assert_success();
    run(env)
        .args(["busybox", "sh", "-c", "exit 7"])
        .assert_exit(7);
    assert!(
        store_entries(env, "containers").is_empty(),
        "--rm left containers behind: {:?}",
        store_entries(env, "containers")
    );
});

// ---------------------------------------------------------------------------------------------
// stdio

both_modes!(stdout_and_stderr_pass_through, |env| {
    let out = bb(env)
        .args(["busybox", "sh", "-c", "echo out; echo err >&2"])
        .assert_success()
        .stdout_is("out\n")
        .stderr_contains("err\n");
    assert!(!out.stderr.contains("out"), "stdout leaked into stderr");
    // Output bigger than a pipe buffer arrives whole.
    let out = run(env)
        .args(["busybox", "sh", "-c", "yes x | head -c 1000000"])
        .assert_success();
    assert_eq!(out.stdout.len(), 1_000_000);
});

both_modes!(stdin_is_null_without_i, |env| {
    bb(env)
        .args(["busybox", "cat"])
        .stdin("should not be read\n")
        .assert_success()
        .stdout_empty();
    // The image's default command (sh) reads EOF and exits 0.
    run(env)
        .arg("busybox")
        .stdin("echo should-not-run\n")
        .assert_success()
        .stdout_empty();
});

both_modes!(stdin_passes_through_with_i, |env| {
    bb(env)
        .args(["-i", "busybox", "cat"])
        .stdin("hi\n")
        .assert_success()
        .stdout_is("hi\n");
    run(env)
        .args(["--interactive", "busybox", "wc", "-c"])
        .stdin(vec![b'a'; 300_000])
        .assert_success()
        .stdout_contains("300000");
    // The image's default command, sh, reads its script from stdin.
    run(env)
        .args(["-i", "busybox"])
        .stdin("echo from-stdin; exit 4\n")
        .assert_exit(4)
        .stdout_is("from-stdin\n");
});

// ---------------------------------------------------------------------------------------------
// Namespaces

both_modes!(command_is_pid_1_and_sees_no_host_processes, |env| {
    bb(env)
        .args(["busybox", "sh", "-c", "echo $$"])
        .assert_success()
        .stdout_is("1\n");
    // Globbing happens inside sh itself: PID 1 is the only process.
    run(env)
        .args(["busybox", "sh", "-c", "cd /proc && echo [0-9]*"])
        .assert_success()
        .stdout_is("1\n");
    // ps: the header, sh (PID 1) and ps itself.
    let out = run(env)
        .args(["busybox", "sh", "-c", "ps -o pid,args; true"])
        .assert_success();
    let rows: Vec<&str> = out.lines().into_iter().skip(1).collect();
    assert_eq!(rows.len(), 2, "ps sees other processes:\n{}", out.stdout);
    assert!(
        rows[0].trim_start().starts_with("1 "),
        "PID 1 is not the command:\n{}",
        out.stdout
    );
});

both_modes!(namespaces_differ_from_the_hosts, |env| {
    env.load(fixtures::busybox());
    let kinds = ["cgroup", "ipc", "mnt", "net", "pid", "uts", "user"];
    let script: String = kinds
        .iter()
        .map(|k| format!("readlink /proc/self/ns/{k}; "))
        .collect();
    let host = |k: &str| {
        std::fs::read_link(format!("/proc/self/ns/{k}"))
            .expect("reading the host's namespace link")
            .display()
            .to_string()
    };
    let check = |extra: &[&str], same: &[&str]| {
        let out = run(env)
            .args(extra)
            .args(["busybox", "sh", "-c", &script])
            .assert_success();
        let inside = out.lines();
        assert_eq!(inside.len(), kinds.len(), "{}", out.stdout);
        for (k, got) in kinds.iter().zip(inside) {
            let h = host(k);
            if same.contains(k) {
                assert_eq!(got, h, "{k} namespace should be the host's ({extra:?})");
            } else {
                assert_ne!(got, h, "{k} namespace is the host's ({extra:?})");
            }
        }
    };
    // Root mode keeps the host's user namespace (`--userns` comes later); rootless has its own.
    let user_same: &[&str] = if env.rootless() { &[] } else { &["user"] };
    check(&[], user_same);
    let mut host_net = vec!["net"];
    host_net.extend_from_slice(user_same);
    check(&["--network", "host"], &host_net);
});

both_modes!(rootless_maps_container_root_to_the_user, |env| {
    let out = bb(env)
        .args(["busybox", "cat", "/proc/self/uid_map"])
        .assert_success();
    let first: Vec<u64> = out
        .lines()
        .first()
        .expect("a uid_map line")
        .split_whitespace()
        .map(|n| n.parse().expect("uid_map number"))
        .collect();
    if env.rootless() {
        let uid = env
            .user
            .as_ref()
            .map(|u| u.uid as u64)
            .unwrap_or_else(|| nix::unistd::getuid().as_raw() as u64);
        let root_line = out
            .lines()
            .into_iter()
            .find(|l| l.split_whitespace().next() == Some("0"))
            .unwrap_or_else(|| panic!("container root is not mapped:\n{}", out.stdout));
        let f: Vec<&str> = root_line.split_whitespace().collect();
        assert_eq!(
            f[1],
            uid.to_string(),
            "container root is not the user:\n{}",
            out.stdout
        );
    } else {
        assert_eq!(
            first,
            [0, 0, 4294967295],
            "root mode is not the host's userns"
        );
    }
});

both_modes!(hostname_is_the_containers, |env| {
    bb(env)
        .args(["--hostname", "box", "busybox", "hostname"])
        .assert_success()
        .stdout_is("box\n");
    // -h is --hostname, as in Docker.
    run(env)
        .args(["-h", "box2", "busybox", "hostname"])
        .assert_success()
        .stdout_is("box2\n");
    let out = run(env).args(["busybox", "hostname"]).assert_success();
    let h = out.trimmed();
    assert!(
        h.len() == 12
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "default hostname is not a 12-hex short id: {h:?}"
    );
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("host hostname");
    assert_ne!(h, host.trim());
    // Two containers get two ids.
    let again = run(env).args(["busybox", "hostname"]).assert_success();
    assert_ne!(h, again.trimmed(), "two containers share a hostname");
    // Trying to change it inside (without CAP_SYS_ADMIN it fails) leaves the host's alone.
    let _ = run(env).args(["busybox", "hostname", "changed"]).run();
    let after = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("host hostname");
    assert_eq!(host, after, "the container changed the host's hostname");
});

both_modes!(network_none_has_only_lo, |env| {
    env.load(fixtures::busybox());
    let variants: [&[&str]; 2] = [&[], &["--network", "none"]];
    for extra in variants {
        let out = run(env)
            .args(extra)
            .args(["busybox", "cat", "/proc/net/dev"])
            .assert_success();
        assert_eq!(net_dev_names(&out.stdout), ["lo"], "{}", out.stdout);
        let out = run(env)
            .args(extra)
            .args(["busybox", "ip", "-o", "link"])
            .assert_success();
        let names: Vec<&str> = out
            .lines()
            .into_iter()
            .filter_map(|l| l.split(": ").nth(1))
            .collect();
        assert_eq!(names, ["lo"], "{}", out.stdout);
        // lo is up.
        let flags = out.stdout.split('<').nth(1).unwrap_or("");
        let flags = flags.split('>').next().unwrap_or("");
        assert!(
            flags.split(',').any(|f| f == "UP"),
            "lo is not up: {}",
            out.stdout
        );
    }
});

both_modes!(network_host_shares_the_hosts, |env| {
    let out = bb(env)
        .args(["--network", "host", "busybox", "cat", "/proc/net/dev"])
        .assert_success();
    let host = std::fs::read_to_string("/proc/net/dev").expect("host /proc/net/dev");
    assert_eq!(net_dev_names(&out.stdout), net_dev_names(&host));
    let host_name = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("host hostname");
    run(env)
        .args(["--network", "host", "busybox", "hostname"])
        .assert_success()
        .stdout_is(&format!("{}\n", host_name.trim()));
    run(env)
        .args([
            "--network",
            "host",
            "--hostname",
            "box",
            "busybox",
            "hostname",
        ])
        .assert_success()
        .stdout_is("box\n");
});

// ---------------------------------------------------------------------------------------------
// The root filesystem

both_modes!(root_is_an_overlay, |env| {
    let out = bb(env)
        .args(["busybox", "cat", "/proc/self/mountinfo"])
        .assert_success();
    let ms = mounts(&out.stdout);
    assert_eq!(
        mount_at(&ms, "/", &out.stdout).fstype,
        "overlay",
        "{}",
        out.stdout
    );
});

both_modes!(writes_stay_in_the_container, |env| {
    let marker = format!("marker-{}", env.tag);
    bb(env)
        .args(["busybox", "sh", "-c"])
        .arg(format!(
            "echo x > /{marker} && echo y > /bin/{marker} && rm /bin/true && cat /{marker}"
        ))
        .assert_success()
        .stdout_is("x\n");
    let layers: Vec<PathBuf> = std::fs::read_dir(env.root.join("layers"))
        .expect("reading the store's layers")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("diff"))
        .filter(|d| d.is_dir())
        .collect();
    assert!(
        layers.iter().any(|d| d.join("bin/busybox").exists()),
        "no layer diff holds bin/busybox: the layout changed? {layers:?}"
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
    // The next container from the image sees the image as it was.
    run(env)
        .args(["busybox", "sh", "-c"])
        .arg(format!(
            "test ! -e /{marker} && test ! -e /bin/{marker} && test -e /bin/true"
        ))
        .assert_success();
});

both_modes!(two_containers_do_not_see_each_others_writes, |env| {
    env.load(fixtures::busybox());
    let ready = host_dir(env, "sync");
    let a = format!("/tmp/a-{}", env.tag);
    let b = format!("/tmp/b-{}", env.tag);
    let first_script = format!(
        "echo a > {a}; touch /sync/first; i=0; while [ ! -e /sync/second ] && [ $i -lt 300 ]; do \
         sleep 0.05; i=$((i+1)); done; test ! -e {b} && cat {a}"
    );
    let second_script = format!("echo b > {b}; test ! -e {a}; r=$?; touch /sync/second; exit $r");
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            run(env)
                .args(["-v", &vol(&ready, "/sync", None), "busybox", "sh", "-c"])
                .arg(&first_script)
                .run()
        });
        let started = wait_for(&ready.join("first"), 60, || !first.is_finished());
        if !started {
            let _ = std::fs::write(ready.join("second"), "");
            let out = first.join().expect("first run");
            panic!("the first container did not start: {out:?}");
        }
        run(env)
            .args(["-v", &vol(&ready, "/sync", None), "busybox", "sh", "-c"])
            .arg(&second_script)
            .assert_success();
        let out = first.join().expect("first run");
        assert_eq!(out.code, Some(0), "first container: {out:?}");
        assert_eq!(out.stdout, "a\n");
    });
});

both_modes!(read_only_root_with_tmpfs, |env| {
    bb(env)
        .args(["--read-only", "busybox", "touch", "/x"])
        .assert_exit(1)
        .stderr_contains("Read-only file system");
    run(env)
        .args(["--read-only", "--tmpfs", "/scratch", "busybox", "sh", "-c"])
        .arg("echo hi > /scratch/f && cat /scratch/f && echo ok > /dev/null")
        .assert_success()
        .stdout_is("hi\n");
    // --tmpfs is a tmpfs, and takes options.
    let out = run(env)
        .args(["--tmpfs", "/scratch:rw,size=1m,mode=1777", "busybox"])
        .args(["cat", "/proc/self/mountinfo"])
        .assert_success();
    let ms = mounts(&out.stdout);
    assert_eq!(mount_at(&ms, "/scratch", &out.stdout).fstype, "tmpfs");
    // Without --read-only the root is writable.
    run(env).args(["busybox", "touch", "/x"]).assert_success();
});

both_modes!(bind_mounts, |env| {
    env.load(fixtures::busybox());
    let d = host_dir(env, "data");
    host_file(env, &d.join("hello.txt"), "from host\n");
    run(env)
        .args([
            "-v",
            &vol(&d, "/data", None),
            "busybox",
            "cat",
            "/data/hello.txt",
        ])
        .assert_success()
        .stdout_is("from host\n");
    // rw by default, and writes land on the host.
    run(env)
        .args(["-v", &vol(&d, "/data", None), "busybox", "sh", "-c"])
        .arg("echo new > /data/new.txt")
        .assert_success();
    assert_eq!(
        std::fs::read_to_string(d.join("new.txt")).expect("the container's write"),
        "new\n"
    );
    run(env)
        .args([
            "--volume",
            &vol(&d, "/data", Some("rw")),
            "busybox",
            "touch",
            "/data/rw",
        ])
        .assert_success();
    assert!(d.join("rw").exists());
    // :ro refuses writes.
    run(env)
        .args([
            "-v",
            &vol(&d, "/data", Some("ro")),
            "busybox",
            "touch",
            "/data/ro",
        ])
        .assert_exit(1)
        .stderr_contains("Read-only file system");
    assert!(!d.join("ro").exists());
    // A destination the image lacks is created, nested ones too.
    run(env)
        .args([
            "-v",
            &vol(&d, "/a/b/c", Some("ro")),
            "busybox",
            "cat",
            "/a/b/c/hello.txt",
        ])
        .assert_success()
        .stdout_is("from host\n");
    // A bind mount stays writable under --read-only.
    run(env)
        .args([
            "--read-only",
            "-v",
            &vol(&d, "/data", None),
            "busybox",
            "touch",
        ])
        .arg("/data/under-ro")
        .assert_success();
    // A single file can be bound.
    run(env)
        .args([
            "-v",
            &vol(&d.join("hello.txt"), "/etc/motd", Some("ro")),
            "busybox",
        ])
        .args(["cat", "/etc/motd"])
        .assert_success()
        .stdout_is("from host\n");
});

both_modes!(bind_source_symlink_is_followed, |env| {
    env.load(fixtures::busybox());
    let real = host_dir(env, "real");
    host_file(env, &real.join("f"), "real\n");
    let link = env.path("link");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    chown_to_env_user(env, &link);
    run(env)
        .args([
            "-v",
            &vol(&link, "/data", None),
            "busybox",
            "cat",
            "/data/f",
        ])
        .assert_success()
        .stdout_is("real\n");
});

both_modes!(bind_destination_through_symlinks_stays_inside, |env| {
    // I1: a destination that crosses a symlink is resolved inside the container's root. The
    // fixture has no symlinks to abuse, so the first bind mount brings them: a host dir with
    // `up -> /` and `deep -> ../../../../../..`, mounted at /tmp/a; the second mount's destination
    // goes through them.
    env.load(fixtures::busybox());
    let a = host_dir(env, "a");
    std::os::unix::fs::symlink("/", a.join("up")).expect("symlink");
    std::os::unix::fs::symlink("../../../../../..", a.join("deep")).expect("symlink");
    chown_to_env_user(env, &a.join("up"));
    chown_to_env_user(env, &a.join("deep"));
    let b = host_dir(env, "b");
    host_file(env, &b.join("f"), "from b\n");

    let top = format!("berth-i1-{}", env.tag);
    let host_top = PathBuf::from("/").join(&top);
    let host_tmp = PathBuf::from("/tmp").join(&top);
    // Mounts b at a destination that goes through a planted symlink, reads its file at
    // `inside`, and checks nothing was created at `host` (or in the host dir a).
    let through = |dest: String, inside: String, host: &Path| {
        let out = run(env)
            .args(["-v", &vol(&a, "/tmp/a", None)])
            .args(["-v", &vol(&b, &dest, None)])
            .args(["busybox", "cat"])
            .arg(&inside)
            .run();
        let escaped = host.exists();
        if escaped {
            let _ = std::fs::remove_dir(host);
        }
        assert!(
            !escaped,
            "the mount point was created on the host at {}",
            host.display()
        );
        assert_eq!(out.code, Some(0), "{out:?}");
        assert_eq!(out.stdout, "from b\n");
        assert!(
            !a.join(&top).exists(),
            "the mount point was created in the host dir"
        );
    };
    through(format!("/tmp/a/up/{top}"), format!("/{top}/f"), &host_top);
    through(
        format!("/tmp/a/deep/tmp/{top}"),
        format!("/tmp/{top}/f"),
        &host_tmp,
    );
});

// ---------------------------------------------------------------------------------------------
// /proc, /dev, /sys, capabilities and seccomp

/// Podman's default capability set (containers.conf `default_capabilities`), as bit numbers
/// from linux/capability.h. Docker's default adds NET_RAW (13), MKNOD (27) and AUDIT_WRITE (29),
/// which makes `a80425fb`; Podman's (and berth's) is `800405fb`.
const DEFAULT_CAP_BITS: [(u32, &str); 11] = [
    (0, "CHOWN"),
    (1, "DAC_OVERRIDE"),
    (3, "FOWNER"),
    (4, "FSETID"),
    (5, "KILL"),
    (6, "SETGID"),
    (7, "SETUID"),
    (8, "SETPCAP"),
    (10, "NET_BIND_SERVICE"),
    (18, "SYS_CHROOT"),
    (31, "SETFCAP"),
];

fn default_caps_hex() -> String {
    let mask = DEFAULT_CAP_BITS
        .iter()
        .fold(0u64, |m, (bit, _)| m | (1u64 << bit));
    format!("{mask:016x}")
}

both_modes!(capabilities_and_seccomp_are_the_defaults, |env| {
    let caps = default_caps_hex();
    assert_eq!(caps, "00000000800405fb");
    let zero = "0000000000000000";
    let out = bb(env)
        .args(["busybox", "cat", "/proc/self/status"])
        .assert_success();
    let s = &out.stdout;
    assert_eq!(status_field(s, "Seccomp"), "2", "{s}");
    assert_eq!(status_field(s, "CapEff"), caps, "{s}");
    assert_eq!(status_field(s, "CapPrm"), caps, "{s}");
    assert_eq!(status_field(s, "CapBnd"), caps, "{s}");
    assert_eq!(status_field(s, "CapInh"), zero, "{s}");
    assert_eq!(status_field(s, "CapAmb"), zero, "{s}");
    // no_new_privs is not the default (setuid tools keep working).
    assert_eq!(status_field(s, "NoNewPrivs"), "0", "{s}");
    // I17: a clean signal mask and dispositions (Rust ignores SIGPIPE in berth itself).
    assert_eq!(status_field(s, "SigBlk"), zero, "{s}");
    assert_eq!(status_field(s, "SigIgn"), zero, "{s}");

    // A non-root user has no effective capabilities, but the same bounding set.
    let out = run(env)
        .args(["-u", "nobody", "busybox", "cat", "/proc/self/status"])
        .assert_success();
    let s = &out.stdout;
    assert_eq!(status_field(s, "CapEff"), zero, "{s}");
    assert_eq!(status_field(s, "CapPrm"), zero, "{s}");
    assert_eq!(status_field(s, "CapBnd"), caps, "{s}");
    assert_eq!(status_field(s, "CapAmb"), zero, "{s}");
    assert_eq!(status_field(s, "Seccomp"), "2", "{s}");
});

both_modes!(proc_is_masked_and_read_only, |env| {
    env.load(fixtures::busybox());
    // Masked files read as empty (where the host kernel has them at all).
    for f in [
        "/proc/kcore",
        "/proc/keys",
        "/proc/timer_list",
        "/proc/sched_debug",
    ] {
        if !Path::new(f).exists() {
            continue;
        }
        run(env)
            .args(["busybox", "sh", "-c"])
            .arg(format!("wc -c < {f}"))
            .assert_success()
            .stdout_is("0\n");
    }
    // Masked directories are empty.
    if Path::new("/sys/firmware").exists() {
        run(env)
            .args(["busybox", "ls", "-A", "/sys/firmware"])
            .assert_success()
            .stdout_empty();
    }
    // /proc/sys and /proc/sysrq-trigger are read-only.
    let out = run(env)
        .args(["--hostname", "box", "busybox", "sh", "-c"])
        .arg("echo evil > /proc/sys/kernel/hostname; r=$?; hostname; exit $r")
        .run();
    assert_ne!(out.code, Some(0), "writing /proc/sys succeeded: {out:?}");
    assert_eq!(out.stdout, "box\n");
    let out = run(env)
        .args(["busybox", "sh", "-c", "echo h > /proc/sysrq-trigger"])
        .run();
    assert_ne!(
        out.code,
        Some(0),
        "writing /proc/sysrq-trigger succeeded: {out:?}"
    );
    // It is a fresh procfs of the container's pid namespace, with the masks mounted over it.
    let out = run(env)
        .args(["busybox", "cat", "/proc/1/mountinfo"])
        .assert_success();
    let ms = mounts(&out.stdout);
    assert_eq!(mount_at(&ms, "/", &out.stdout).fstype, "overlay");
    assert_eq!(mount_at(&ms, "/proc", &out.stdout).fstype, "proc");
    for f in [
        "/proc/kcore",
        "/proc/keys",
        "/proc/timer_list",
        "/sys/firmware",
    ] {
        if Path::new(f).exists() {
            mount_at(&ms, f, &out.stdout);
        }
    }
    assert!(
        ms.iter()
            .any(|m| m.point == "/proc/sys" && m.opts.starts_with("ro")),
        "/proc/sys is not mounted read-only:\n{}",
        out.stdout
    );
});

both_modes!(dev_has_the_standard_nodes, |env| {
    env.load(fixtures::busybox());
    run(env)
        .args(["busybox", "sh", "-c", "test -c /dev/null"])
        .assert_success();
    run(env)
        .args(["busybox", "stat", "-c", "%t:%T", "/dev/null"])
        .assert_success()
        .stdout_is("1:3\n");
    let out = run(env).args(["busybox", "ls", "/dev"]).assert_success();
    let names = out.lines();
    for n in ["null", "zero", "full", "random", "urandom", "tty"] {
        assert!(names.contains(&n), "/dev lacks {n}: {names:?}");
    }
    for n in ["mem", "kmem", "port", "kmsg", "sda", "vda", "nvme0"] {
        assert!(
            !names.contains(&n),
            "/dev exposes the host's {n}: {names:?}"
        );
    }
    run(env)
        .args(["busybox", "sh", "-c"])
        .arg("echo x > /dev/null && head -c 5 /dev/zero | wc -c && head -c 5 /dev/urandom | wc -c")
        .assert_success()
        .stdout_is("5\n5\n");
    run(env)
        .args(["busybox", "sh", "-c", "echo x > /dev/full"])
        .assert_exit(1);
});

both_modes!(sys_is_read_only, |env| {
    let out = bb(env).args(["busybox", "touch", "/sys/x"]).run();
    assert_ne!(out.code, Some(0), "touch /sys/x succeeded: {out:?}");
    let out = run(env)
        .args(["busybox", "cat", "/proc/self/mountinfo"])
        .assert_success();
    let ms = mounts(&out.stdout);
    assert!(
        mount_at(&ms, "/sys", &out.stdout).opts.starts_with("ro"),
        "/sys is not read-only:\n{}",
        out.stdout
    );
});

// ---------------------------------------------------------------------------------------------
// Identity

both_modes!(default_user_is_root, |env| {
    bb(env)
        .args(["busybox", "sh", "-c", "id -u; id -g; echo $HOME"])
        .assert_success()
        .stdout_is("0\n0\n/root\n");
});

both_modes!(user_by_name_and_number, |env| {
    bb(env)
        .args([
            "-u",
            "nobody",
            "busybox",
            "sh",
            "-c",
            "id -u; id -g; echo $HOME",
        ])
        .assert_success()
        .stdout_is("65534\n65534\n/nonexistent\n");
    run(env)
        .args(["-u", "1000:1000", "busybox", "id"])
        .assert_success()
        .stdout_contains("uid=1000 gid=1000");
    run(env)
        .args(["--user", "0", "busybox", "id", "-u"])
        .assert_success()
        .stdout_is("0\n");
    run(env)
        .args(["-u", "nobody:root", "busybox", "sh", "-c", "id -u; id -g"])
        .assert_success()
        .stdout_is("65534\n0\n");
    // The primary gid is among the supplementary groups (SECURITY.md I15).
    let out = run(env)
        .args(["-u", "1000:1000", "busybox", "cat", "/proc/self/status"])
        .assert_success();
    let groups: Vec<&str> = status_field(&out.stdout, "Groups")
        .split_whitespace()
        .collect();
    assert!(groups.contains(&"1000"), "Groups: {groups:?}");
});

both_modes!(unknown_user_is_an_error, |env| {
    bb(env)
        .args(["-u", "nosuchuser", "busybox", "true"])
        .assert_error()
        .stderr_contains("unable to find user");
    run(env)
        .args(["-u", "root:nosuchgroup", "busybox", "true"])
        .assert_error();
});

both_modes!(group_add, |env| {
    let out = bb(env)
        .args(["--group-add", "1234", "--group-add", "nobody", "busybox"])
        .args(["cat", "/proc/self/status"])
        .assert_success();
    let groups: Vec<&str> = status_field(&out.stdout, "Groups")
        .split_whitespace()
        .collect();
    assert!(groups.contains(&"1234"), "Groups: {groups:?}");
    assert!(groups.contains(&"65534"), "Groups: {groups:?}");
    run(env)
        .args(["--group-add", "nosuchgroup", "busybox", "true"])
        .assert_error();
});

both_modes!(image_config_defaults, |env| {
    // second:latest: User nobody, WorkingDir /tmp, Env FIXTURE=second, Cmd cat /hello.
    env.load(fixtures::second());
    run(env)
        .arg("second")
        .assert_success()
        .stdout_is("hello from the second fixture\n");
    run(env)
        .args(["second", "sh", "-c", "id -u; pwd; echo $FIXTURE"])
        .assert_success()
        .stdout_is("65534\n/tmp\nsecond\n");
    run(env)
        .args(["-u", "root", "-w", "/", "second", "sh", "-c", "id -u; pwd"])
        .assert_success()
        .stdout_is("0\n/\n");
});

// ---------------------------------------------------------------------------------------------
// Environment, working directory, entrypoint

both_modes!(environment, |env| {
    bb(env)
        .args(["busybox", "sh", "-c", "echo $PATH"])
        .assert_success()
        .stdout_is("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    run(env)
        .args(["-e", "A=1", "--env", "B=two words", "busybox", "sh", "-c"])
        .arg("echo $A; echo \"$B\"")
        .assert_success()
        .stdout_is("1\ntwo words\n");
    // -e overrides the image's Env.
    run(env)
        .args(["-e", "PATH=/bin", "busybox", "sh", "-c", "echo $PATH"])
        .assert_success()
        .stdout_is("/bin\n");
    // `-e KEY` takes the caller's value; an unset one is left out.
    run(env)
        .args([
            "-e",
            "BERTH_T_HOSTVAL",
            "-e",
            "BERTH_T_UNSET",
            "busybox",
            "sh",
            "-c",
        ])
        .arg("echo \"$BERTH_T_HOSTVAL\"; echo ${BERTH_T_UNSET-unset}")
        .env("BERTH_T_HOSTVAL", "from host")
        .assert_success()
        .stdout_is("from host\nunset\n");
    // The caller's environment is not passed otherwise.
    run(env)
        .args(["busybox", "sh", "-c", "echo ${BERTH_T_HOSTVAL-absent}"])
        .env("BERTH_T_HOSTVAL", "from host")
        .assert_success()
        .stdout_is("absent\n");
    // HOSTNAME is the container's hostname.
    let out = run(env)
        .args(["busybox", "sh", "-c", "echo $HOSTNAME; hostname"])
        .assert_success();
    let l = out.lines();
    assert_eq!(l.len(), 2);
    assert_eq!(l[0], l[1], "HOSTNAME differs from hostname");
    run(env)
        .args(["--hostname", "box", "busybox", "sh", "-c", "echo $HOSTNAME"])
        .assert_success()
        .stdout_is("box\n");
});

both_modes!(env_file, |env| {
    let f = env.write(
        "vars",
        "# a comment\n\nC=3\nBERTH_T_D\nE=has spaces = and equals\n  # indented comment\n",
    );
    let g = env.write("more", "F=6\nC=overridden\n");
    bb(env)
        .args(["--env-file"])
        .arg(&f)
        .args(["--env-file"])
        .arg(&g)
        .args(["busybox", "sh", "-c"])
        .arg("echo $C; echo \"$BERTH_T_D\"; echo \"$E\"; echo $F")
        .env("BERTH_T_D", "from host")
        .assert_success()
        .stdout_is("overridden\nfrom host\nhas spaces = and equals\n6\n");
    // -e wins over --env-file.
    run(env)
        .args(["-e", "C=cli", "--env-file"])
        .arg(&f)
        .args(["busybox", "sh", "-c", "echo $C"])
        .assert_success()
        .stdout_is("cli\n");
    run(env)
        .args(["--env-file"])
        .arg(env.path("missing"))
        .args(["busybox", "true"])
        .assert_error();
});

both_modes!(working_directory, |env| {
    bb(env)
        .args(["busybox", "pwd"])
        .assert_success()
        .stdout_is("/\n");
    run(env)
        .args(["-w", "/tmp", "busybox", "pwd"])
        .assert_success()
        .stdout_is("/tmp\n");
    run(env)
        .args(["--workdir", "/does/not/exist", "busybox", "pwd"])
        .assert_success()
        .stdout_is("/does/not/exist\n");
    run(env)
        .args(["-u", "nobody", "-w", "/new/dir", "busybox", "pwd"])
        .assert_success()
        .stdout_is("/new/dir\n");
});

both_modes!(umask_is_0022, |env| {
    bb(env)
        .args(["busybox", "sh", "-c", "umask"])
        .assert_success()
        .stdout_is("0022\n");
});

both_modes!(entrypoint, |env| {
    let out = bb(env)
        .args(["--entrypoint", "/bin/ls", "busybox", "-l", "/"])
        .assert_success();
    for d in ["bin", "etc", "tmp"] {
        assert!(
            out.lines().iter().any(|l| l.ends_with(&format!(" {d}"))),
            "ls -l / lacks {d}:\n{}",
            out.stdout
        );
    }
    // The entrypoint alone, with the image's Cmd dropped (Docker: --entrypoint resets Cmd).
    run(env)
        .args(["--entrypoint", "pwd", "busybox"])
        .assert_success()
        .stdout_is("/\n");
    run(env)
        .args(["--entrypoint", "echo", "busybox", "a", "b"])
        .assert_success()
        .stdout_is("a b\n");
    run(env)
        .args(["--entrypoint", "", "busybox", "echo", "cleared"])
        .assert_success()
        .stdout_is("cleared\n");
    run(env)
        .args(["--entrypoint", "nosuchcmd", "busybox"])
        .assert_exit(127);
});

// ---------------------------------------------------------------------------------------------
// Names

both_modes!(names_are_unique_while_running, |env| {
    env.load(fixtures::busybox());
    let sync = host_dir(env, "sync");
    let name = env.name("web");
    run(env)
        .args(["--name", &name, "busybox", "true"])
        .assert_success();
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            run(env)
                .args(["--name", &name, "-v", &vol(&sync, "/sync", None), "busybox"])
                .args(["sh", "-c", "touch /sync/started; sleep 3"])
                .run()
        });
        if !wait_for(&sync.join("started"), 60, || !first.is_finished()) {
            let out = first.join().expect("first run");
            panic!("the first container did not start: {out:?}");
        }
        run(env)
            .args(["--name", &name, "busybox", "true"])
            .assert_error()
            .stderr_contains("already in use");
        let out = first.join().expect("first run");
        assert_eq!(out.code, Some(0), "first container: {out:?}");
    });
    // Freed when the first exits, whatever its exit code.
    run(env)
        .args(["--name", &name, "busybox", "sh", "-c", "exit 3"])
        .assert_exit(3);
    run(env)
        .args(["--name", &name, "busybox", "true"])
        .assert_success();
    // A run that fails before starting does not keep the name.
    run(env)
        .args(["--name", &name, "nosuchimage", "true"])
        .assert_error();
    run(env)
        .args(["--name", &name, "busybox", "nosuchcmd"])
        .assert_exit(127);
    run(env)
        .args(["--name", &name, "busybox", "true"])
        .assert_success();
});

// ---------------------------------------------------------------------------------------------
// fds and rlimits

/// The fds `ls /proc/self/fd` lists: 0, 1 and 2, and the directory ls itself opened (3).
fn assert_no_fd_leak(out: &crate::support::Output) {
    let fds: Vec<u32> = out
        .lines()
        .iter()
        .map(|l| {
            l.trim()
                .parse()
                .unwrap_or_else(|_| panic!("not an fd: {l:?}"))
        })
        .collect();
    for fd in [0, 1, 2] {
        assert!(fds.contains(&fd), "fd {fd} is not open: {fds:?}");
    }
    assert!(
        fds.iter().all(|fd| *fd <= 3),
        "fds leaked into the container: {fds:?}"
    );
}

both_modes!(no_fd_leaks, |env| {
    let out = bb(env)
        .args(["busybox", "ls", "/proc/self/fd"])
        .assert_success();
    assert_no_fd_leak(&out);
    let out = run(env)
        .args(["-i", "busybox", "ls", "/proc/self/fd"])
        .stdin("x")
        .assert_success();
    assert_no_fd_leak(&out);
    let d = host_dir(env, "d");
    let out = run(env)
        .args([
            "-u",
            "nobody",
            "--network",
            "host",
            "-v",
            &vol(&d, "/d", None),
        ])
        .args(["busybox", "ls", "/proc/self/fd"])
        .assert_success();
    assert_no_fd_leak(&out);
});

both_modes!(ulimit, |env| {
    bb(env)
        .args([
            "--ulimit",
            "nofile=1024:2048",
            "busybox",
            "sh",
            "-c",
            "ulimit -n",
        ])
        .assert_success()
        .stdout_is("1024\n");
    let out = run(env)
        .args([
            "--ulimit",
            "nofile=1024:2048",
            "busybox",
            "cat",
            "/proc/self/limits",
        ])
        .assert_success();
    assert_eq!(
        limits_row(&out.stdout, "Max open files"),
        (Some(1024), Some(2048)),
        "{}",
        out.stdout
    );
    // SOFT alone sets both.
    let out = run(env)
        .args([
            "--ulimit",
            "nofile=512",
            "busybox",
            "cat",
            "/proc/self/limits",
        ])
        .assert_success();
    assert_eq!(
        limits_row(&out.stdout, "Max open files"),
        (Some(512), Some(512)),
        "{}",
        out.stdout
    );
    // Never above the caller's hard limit (berth runs with the test process's limits).
    let mine = std::fs::read_to_string("/proc/self/limits").expect("reading my limits");
    if let (_, Some(hard)) = limits_row(&mine, "Max open files") {
        run(env)
            .args(["--ulimit"])
            .arg(format!("nofile={}:{}", hard, hard + 1))
            .args(["busybox", "true"])
            .assert_error();
        // The default stays within it too.
        let out = run(env)
            .args(["busybox", "cat", "/proc/self/limits"])
            .assert_success();
        let (_, inside) = limits_row(&out.stdout, "Max open files");
        assert!(
            inside.is_some_and(|h| h <= hard),
            "default nofile hard limit {inside:?} is above the caller's {hard}"
        );
    }
});

both_modes!(cidfile_and_pidfile, |env| {
    let d = host_dir(env, "ids");
    let (cid, pid) = (d.join("c.cid"), d.join("c.pid"));
    // The files exist while the container runs: it reads them through a bind of their dir.
    let out = bb(env)
        .arg("--cidfile")
        .arg(&cid)
        .arg("--pidfile")
        .arg(&pid)
        .arg("-v")
        .arg(format!("{}:/ids", d.display()))
        .args([
            "busybox",
            "sh",
            "-c",
            "cat /ids/c.cid; echo; cat /ids/c.pid",
        ])
        .assert_success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{:?}", out.stdout);
    assert!(
        lines[0].len() == 64 && lines[0].bytes().all(|b| b.is_ascii_hexdigit()),
        "cidfile holds the full id: {:?}",
        lines[0]
    );
    let host_pid: u32 = lines[1].trim().parse().expect("pidfile holds a number");
    assert!(
        host_pid > 1,
        "the pid is the host's view of the container process"
    );
    // --rm removes them with the container.
    assert!(!cid.exists() && !pid.exists(), "cid/pid files left behind");
    // An existing cidfile is refused before anything runs.
    std::fs::write(&cid, "old").unwrap();
    run(env)
        .arg("--cidfile")
        .arg(&cid)
        .args(["busybox", "true"])
        .assert_error()
        .stderr_contains("exists");
    assert_eq!(std::fs::read_to_string(&cid).unwrap(), "old");
});

both_modes!(signals_are_forwarded_to_the_container, |env| {
    env.load(fixtures::busybox());
    // The container's PID 1 traps TERM; berth gets TERM and must pass it on.
    let out = env.path("out");
    let child = run(env)
        .args([
            "busybox",
            "sh",
            "-c",
            "trap 'echo got TERM; exit 5' TERM; echo ready; sleep 30 & wait",
        ])
        .spawn_with_stdout(&out);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&out)
        .unwrap_or_default()
        .contains("ready")
    {
        assert!(Instant::now() < deadline, "the container never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = wait_with_deadline(child, deadline);
    assert_eq!(
        status.code(),
        Some(5),
        "berth exits with the container's code"
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("got TERM"));
});

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
            panic!("berth did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `script -qec "berth … run --rm ARGS" /dev/null`: berth under a real pseudo-terminal, run as
/// the environment's user, with script's exit code being berth's.
fn under_pty(env: &TestEnv, prefix: &str, run_args: &str) -> Cmd {
    let line = format!(
        "{prefix}{} --root {} --runroot {} run --rm {run_args}",
        berth_bin().display(),
        env.root.display(),
        env.runroot.display()
    );
    env.command("script", ["-qec", line.as_str(), "/dev/null"])
}

both_modes!(tty_is_the_controlling_terminal_and_console, |env| {
    require!(Need::Tool("script"));
    env.load(fixtures::busybox());
    let out = under_pty(
        env,
        "",
        "-t busybox sh -c 'tty; test -t 0 && echo stdin-tty; echo TERM=$TERM; stat -c %t:%T /dev/console; stat -c %t:%T $(tty)'",
    )
    .assert_success();
    let text = out.stdout.replace('\r', "");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("/dev/pts/")),
        "{text:?}"
    );
    assert!(text.contains("stdin-tty\n"), "{text:?}");
    assert!(text.contains("TERM=xterm\n"), "{text:?}");
    // /dev/console is the container's terminal (same device numbers).
    assert_eq!(lines.get(3), lines.get(4), "{text:?}");
    under_pty(env, "", "-t busybox sh -c 'exit 7'").assert_exit(7);
});

both_modes!(tty_interactive_and_window_size, |env| {
    require!(Need::Tool("script"));
    env.load(fixtures::busybox());
    let out = under_pty(env, "", "-it busybox sh")
        .stdin("echo hi-from-tty\nexit 3\n")
        .assert_exit(3);
    assert!(
        out.stdout.replace('\r', "").contains("\nhi-from-tty\n"),
        "{:?}",
        out.stdout
    );
    let out = under_pty(env, "stty rows 33 cols 101; ", "-t busybox stty size").assert_success();
    assert_eq!(out.stdout.replace('\r', "").trim(), "33 101");
});

both_modes!(pull_policy, |env| {
    env.load(fixtures::busybox());
    run(env)
        .args(["--pull=never", "busybox", "true"])
        .assert_success();
    run(env)
        .args(["--pull", "missing", "busybox", "true"])
        .assert_success();
    run(env)
        .args(["nosuchimage", "true"])
        .assert_error()
        .stderr_contains("no such image: nosuchimage");
    run(env)
        .args(["--pull=always", "busybox", "true"])
        .assert_error()
        // No internet here: the pull is tried, and its failure names the registry.
        .stderr_contains("pulling docker.io/library/busybox:latest");
    run(env)
        .args(["--pull=sometimes", "busybox", "true"])
        .assert_error()
        .stderr_contains("invalid --pull");
});

both_modes!(everything_after_the_image_belongs_to_the_command, |env| {
    env.load(fixtures::busybox());
    // berth's own short flags (-l, -v, -p, -e, -w) after the image are the command's.
    env.berth([
        "run", "--rm", "busybox", "echo", "-l", "-v", "-p", "1", "-e", "x", "-w",
    ])
    .assert_success()
    .stdout_is("-l -v -p 1 -e x -w\n");
    let name = env.name("args");
    env.berth(["create", "--name", &name, "busybox", "grep", "-v", "x"])
        .assert_success();
    let out = env
        .berth(["inspect", "-f", "{{json .Config.Cmd}}", &name])
        .assert_success();
    assert_eq!(out.stdout, "[\"grep\",\"-v\",\"x\"]\n");
    env.berth(["rm", &name]).assert_success();
});
