//! Namespace modes (`--ipc`, `--pid`, `--uts`, `--cgroupns`, `--network container:`) and the
//! kernel knobs (`--shm-size`, `--sysctl`, `--oom-score-adj`), each proven from inside the
//! container, and the errors for what cannot be done.

use std::path::PathBuf;
use std::time::Duration;

use crate::exec::running;
use crate::support::{TestEnv, fixtures};

/// `readlink /proc/self/ns/KIND` inside a new container run with `args`.
fn ns_of_run(env: &TestEnv, args: &[&str], kind: &str) -> String {
    env.berth(["run", "--rm"])
        .args(args)
        .args(["busybox", "readlink", &format!("/proc/self/ns/{kind}")])
        .assert_success()
        .trimmed()
        .to_string()
}

fn host_ns(kind: &str) -> String {
    std::fs::read_link(format!("/proc/self/ns/{kind}"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

both_modes!(
    ipc_container_shares_the_ipc_namespace_and_its_sysctls,
    |env| {
        let a = running(
            env,
            &["--sysctl", "kernel.shmmni=1234"],
            &["sh", "-c", "echo shared-shm > /dev/shm/x; exec sleep 1000"],
        );
        let theirs = env
            .berth(["exec", &a.name, "readlink", "/proc/self/ns/ipc"])
            .assert_success()
            .trimmed()
            .to_string();
        let target = format!("container:{}", a.name);
        assert_eq!(ns_of_run(env, &["--ipc", &target], "ipc"), theirs);
        assert_ne!(ns_of_run(env, &[], "ipc"), theirs);
        // The IPC namespace's own settings come along: shmmni as a set it.
        env.berth(["run", "--rm", "--ipc", &target, "busybox"])
            .args(["cat", "/proc/sys/kernel/shmmni"])
            .assert_success()
            .stdout_is("1234\n");
        env.berth(["run", "--rm", "busybox", "cat", "/proc/sys/kernel/shmmni"])
            .assert_success()
            .stdout_lacks("1234");
        // Its /dev/shm too, both ways, as in Docker.
        let out = env
            .berth(["run", "--rm", "--ipc", &target, "busybox", "sh", "-c"])
            .arg("for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/shm/x ] && break; sleep 0.2; done; cat /dev/shm/x; echo back > /dev/shm/y")
            .assert_success();
        assert_eq!(out.stdout, "shared-shm\n");
        env.berth(["exec", &a.name, "cat", "/dev/shm/y"])
            .assert_success()
            .stdout_is("back\n");
    }
);

both_modes!(ipc_private_and_none_cannot_be_joined, |env| {
    let a = running(env, &["--ipc", "private"], &["sleep", "1000"]);
    env.berth(["run", "--rm", "--ipc", &format!("container:{}", a.name)])
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains("it is private");
    // none: a private namespace without /dev/shm.
    env.berth(["run", "--rm", "--ipc", "none", "busybox", "sh", "-c"])
        .arg("grep -c ' /dev/shm ' /proc/self/mounts")
        .assert_exit(1)
        .stdout_is("0\n");
    env.berth(["run", "--rm", "--ipc", "none", "busybox", "true"])
        .assert_success();
});

both_modes!(ipc_host_is_the_hosts, |env| {
    env.load(fixtures::busybox());
    assert_eq!(ns_of_run(env, &["--ipc", "host"], "ipc"), host_ns("ipc"));
    assert_ne!(ns_of_run(env, &[], "ipc"), host_ns("ipc"));
});

both_modes!(pid_container_sees_the_other_containers_processes, |env| {
    let a = running(env, &[], &["sleep", "4242"]);
    env.berth(["run", "--rm", "--pid", &format!("container:{}", a.name)])
        .args(["busybox", "ps", "-o", "args"])
        .assert_success()
        .stdout_contains("sleep 4242");
    env.berth(["run", "--rm", "busybox", "ps", "-o", "args"])
        .assert_success()
        .stdout_lacks("sleep 4242");
});

both_modes!(pid_host_sees_the_hosts_pid_1, |env| {
    env.load(fixtures::busybox());
    let init = std::fs::read_to_string("/proc/1/stat").unwrap();
    let comm = init.split(['(', ')']).nth(1).unwrap().to_string();
    env.berth([
        "run",
        "--rm",
        "--pid",
        "host",
        "busybox",
        "cat",
        "/proc/1/stat",
    ])
    .assert_success()
    .stdout_contains(&format!("1 ({comm})"));
    assert_eq!(ns_of_run(env, &["--pid", "host"], "pid"), host_ns("pid"));
    // The masked paths stay masked on the host's /proc too.
    env.berth(["run", "--rm", "--pid", "host", "busybox", "sh", "-c"])
        .arg("wc -c < /proc/timer_list")
        .assert_success()
        .stdout_is("0\n");
});

both_modes!(uts_host_has_the_hosts_hostname, |env| {
    env.load(fixtures::busybox());
    let host = nix::unistd::gethostname()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    env.berth(["run", "--rm", "--uts", "host", "busybox", "hostname"])
        .assert_success()
        .stdout_is(&format!("{host}\n"));
    assert_eq!(ns_of_run(env, &["--uts", "host"], "uts"), host_ns("uts"));
    env.berth([
        "run",
        "--rm",
        "--uts",
        "host",
        "--hostname",
        "x",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("conflicting options: --hostname and --uts host");
});

both_modes!(cgroupns_host_or_private, |env| {
    env.load(fixtures::busybox());
    assert_eq!(
        ns_of_run(env, &["--cgroupns", "host"], "cgroup"),
        host_ns("cgroup")
    );
    assert_ne!(
        ns_of_run(env, &["--cgroupns", "private"], "cgroup"),
        host_ns("cgroup")
    );
    env.berth([
        "run",
        "--rm",
        "--cgroupns",
        "container:x",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("invalid --cgroupns");
});

both_modes!(network_container_reaches_the_others_localhost, |env| {
    let a = running(
        env,
        &["--hostname", "server-a"],
        &["httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/etc"],
    );
    let target = format!("container:{}", a.name);
    // Its hostname, hosts and resolv.conf come along, as in Docker.
    let out = env
        .berth(["run", "--rm", "--network", &target, "busybox", "sh", "-c"])
        .arg(
            "hostname; cat /etc/hostname; \
             for i in 1 2 3 4 5 6 7 8 9 10; do \
               printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc 127.0.0.1 8080 && break; \
               sleep 0.2; done",
        )
        .timeout(Duration::from_secs(60))
        .assert_success();
    let lines = out.lines();
    assert_eq!(lines[..2], ["server-a", "server-a"], "{}", out.stdout);
    assert!(out.stdout.contains("200 OK"), "{}", out.stdout);
    assert_eq!(
        out.stdout.trim_end().lines().last(),
        Some("server-a"),
        "{}",
        out.stdout
    );
    for (args, words) in [
        (
            &["-p", "8080:80"][..],
            "conflicting options: -p and --network container:",
        ),
        (
            &["--hostname", "h"],
            "conflicting options: --hostname and --network container:",
        ),
        (
            &["-P", "--expose", "80"],
            "conflicting options: -P and a joined network namespace",
        ),
    ] {
        env.berth(["run", "--rm", "--network", &target])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(
    joining_a_stopped_or_missing_container_is_a_clear_error,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("stopped");
        env.berth(["create", "--name", &name, "busybox", "true"])
            .assert_success();
        let target = format!("container:{name}");
        for flag in ["--ipc", "--pid", "--network"] {
            env.berth(["run", "--rm", flag, &target, "busybox", "true"])
                .assert_exit(125)
                .stderr_contains("is not running");
            env.berth(["run", "--rm", flag, "container:nosuch", "busybox", "true"])
                .assert_exit(125)
                .stderr_contains("nosuch");
        }
        env.berth(["rm", &name]).assert_success();
    }
);

both_modes!(shm_size_sets_dev_shm, |env| {
    env.load(fixtures::busybox());
    env.berth([
        "run",
        "--rm",
        "--shm-size",
        "8m",
        "busybox",
        "df",
        "-k",
        "/dev/shm",
    ])
    .assert_success()
    .stdout_contains(" 8192 ");
    env.berth(["run", "--rm", "busybox", "df", "-k", "/dev/shm"])
        .assert_success()
        .stdout_contains(" 65536 ");
    for (args, words) in [
        (&["--shm-size", "0"][..], "invalid --shm-size"),
        (&["--shm-size", "lots"], "invalid --shm-size"),
        (&["--shm-size", "8m", "--ipc", "host"], "--shm-size needs"),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(sysctls_are_set_in_the_containers_namespaces, |env| {
    env.load(fixtures::busybox());
    env.berth(["run", "--rm", "--sysctl", "net.ipv4.ip_forward=1"])
        .args([
            "--sysctl",
            "kernel.msgmax=4321",
            "--sysctl",
            "fs.mqueue.msg_max=17",
        ])
        .args(["busybox", "cat", "/proc/sys/net/ipv4/ip_forward"])
        .args(["/proc/sys/kernel/msgmax", "/proc/sys/fs/mqueue/msg_max"])
        .assert_success()
        .stdout_is("1\n4321\n17\n");
    for (args, words) in [
        (
            &["--sysctl", "kernel.pid_max=100"][..],
            "not a namespaced sysctl",
        ),
        (&["--sysctl", "vm.swappiness=1"], "not a namespaced sysctl"),
        (
            &["--sysctl", "net.ipv4.ip_forward=1", "--network", "host"],
            "own network namespace",
        ),
        (
            &["--sysctl", "kernel.shmmax=1", "--ipc", "host"],
            "own IPC namespace",
        ),
        (&["--sysctl", "net.ipv4.nosuch=1"], "no such sysctl"),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(oom_score_adj_is_the_containers, |env| {
    env.load(fixtures::busybox());
    env.berth(["run", "--rm", "--oom-score-adj", "500", "busybox"])
        .args(["cat", "/proc/self/oom_score_adj"])
        .assert_success()
        .stdout_is("500\n");
    env.berth(["run", "--rm", "--oom-score-adj", "1001", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid --oom-score-adj 1001");
    // Lowering it needs CAP_SYS_RESOURCE, which these machines withhold even from root.
    let own: i32 = std::fs::read_to_string("/proc/self/oom_score_adj")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let lower = (own - 1).max(-1000).to_string();
    let out = env
        .berth(["run", "--rm", "--oom-score-adj", &lower, "busybox"])
        .args(["cat", "/proc/self/oom_score_adj"])
        .run();
    if out.code == Some(0) {
        assert_eq!(out.stdout, format!("{lower}\n"));
    } else {
        assert_eq!(out.code, Some(125), "{}", out.stderr);
        assert!(
            out.stderr.contains("needs CAP_SYS_RESOURCE"),
            "{}",
            out.stderr
        );
    }
});

both_modes!(inspect_shows_the_namespace_modes, |env| {
    let a = running(
        env,
        &[
            "--ipc",
            "shareable",
            "--shm-size",
            "8m",
            "--sysctl",
            "kernel.shmmni=99",
        ],
        &["sleep", "1000"],
    );
    let b = env.name("b");
    env.berth([
        "create",
        "--name",
        &b,
        "--ipc",
        &format!("container:{}", a.name),
    ])
    .args(["--pid", "host", "--uts", "host", "--cgroupns", "host"])
    .args(["--oom-score-adj", "300", "busybox", "true"])
    .assert_success();
    let id = env
        .berth(["inspect", "--format", "{{.Id}}", &a.name])
        .assert_success()
        .trimmed()
        .to_string();
    let format = "{{.HostConfig.IpcMode}} {{.HostConfig.PidMode}} {{.HostConfig.UTSMode}} \
                  {{.HostConfig.CgroupnsMode}} {{.HostConfig.ShmSize}} {{.HostConfig.OomScoreAdj}}";
    env.berth(["inspect", "--format", format, &b])
        .assert_success()
        .stdout_is(&format!("container:{id} host host host 67108864 300\n"));
    env.berth(["inspect", "--format", format, &a.name])
        .assert_success()
        .stdout_is("shareable   private 8388608 0\n");
    env.berth([
        "inspect",
        "--format",
        "{{json .HostConfig.Sysctls}}",
        &a.name,
    ])
    .assert_success()
    .stdout_is("{\"kernel.shmmni\":\"99\"}\n");
    env.berth(["rm", &b]).assert_success();
});

/// The uid and gid berth runs as in `env`.
fn caller_ids(env: &TestEnv) -> (u32, u32) {
    match &env.user {
        Some(u) => (u.uid, u.gid),
        None => (
            nix::unistd::getuid().as_raw(),
            nix::unistd::getgid().as_raw(),
        ),
    }
}

both_modes!(userns_keep_id_keeps_the_callers_ids, |env| {
    use std::os::unix::fs::MetadataExt;
    env.load(fixtures::busybox());
    if !env.rootless() {
        env.berth(["run", "--rm", "--userns", "keep-id", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("only for rootless containers");
        return;
    }
    require!(crate::support::Need::SubUid);
    let (uid, gid) = caller_ids(env);
    let dir = env.work.join("kept");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    let out = env
        .berth(["run", "--rm", "--userns", "keep-id", "-v"])
        .arg(format!("{}:/w", dir.display()))
        .args(["busybox", "sh", "-c"])
        .arg("id -u; id -g; touch /w/f; stat -c '%u:%g' /bin/busybox /w")
        .assert_success();
    // The command runs as the caller; the image's root-owned files are still root's inside,
    // and the caller's directory is the caller's.
    assert_eq!(
        out.lines(),
        [
            uid.to_string(),
            gid.to_string(),
            "0:0".to_string(),
            format!("{uid}:{gid}")
        ],
        "{}",
        out.stdout
    );
    let f = std::fs::metadata(dir.join("f")).unwrap();
    assert_eq!((f.uid(), f.gid()), (uid, gid));
    // keep-id:uid=,gid= picks the ids; -u outside the map is refused (I15).
    env.berth([
        "run",
        "--rm",
        "--userns",
        "keep-id:uid=1234,gid=4321",
        "busybox",
    ])
    .args(["sh", "-c", "id -u; id -g"])
    .assert_success()
    .stdout_is("1234\n4321\n");
    env.berth([
        "run", "--rm", "--userns", "keep-id", "-u", "70000", "busybox", "true",
    ])
    .assert_exit(125)
    .stderr_contains("70000");
    for (args, words) in [
        (&["--userns", "keep-id:uid=x"][..], "invalid --userns"),
        (&["--userns", "private"], "not supported by berth yet"),
        (&["--userns", "bogus"], "invalid --userns"),
        (
            &["--userns", "keep-id", "--uidmap", "0:0:1"],
            "conflicting options",
        ),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(uidmap_maps_the_containers_ids, |env| {
    env.load(fixtures::busybox());
    if !env.rootless() {
        // As root the host ids are the host's.
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = env.work.join("mapped");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let out = env
            .berth(["run", "--rm", "--uidmap", "0:400000:65536", "-v"])
            .arg(format!("{}:/w", dir.display()))
            .args(["busybox", "sh", "-c"])
            .arg("id -u; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /bin/busybox; touch /w/f")
            .assert_success();
        let lines: Vec<Vec<&str>> = out
            .lines()
            .iter()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines[0], ["0"], "{}", out.stdout);
        assert_eq!(lines[1], ["0", "400000", "65536"], "{}", out.stdout);
        assert_eq!(lines[2], ["0", "400000", "65536"], "{}", out.stdout);
        assert_eq!(lines[3], ["0:0"], "{}", out.stdout);
        let f = std::fs::metadata(dir.join("f")).unwrap();
        assert_eq!((f.uid(), f.gid()), (400000, 400000));
        env.berth([
            "run",
            "--rm",
            "--uidmap",
            "0:400000:100",
            "-u",
            "500",
            "busybox",
            "true",
        ])
        .assert_exit(125)
        .stderr_contains("500");
        // exec joins the same namespace; a second start reuses the shifted copy.
        let a = running(env, &["--uidmap", "0:400000:65536"], &["sleep", "1000"]);
        env.berth(["exec", &a.name, "sh", "-c", "id -u; cat /proc/self/uid_map"])
            .assert_success()
            .stdout_contains("400000");
        env.berth(["stop", "-t", "0", &a.name]).assert_success();
        env.berth(["start", &a.name]).assert_success();
        env.berth(["exec", &a.name, "stat", "-c", "%u", "/bin/busybox"])
            .assert_success()
            .stdout_is("0\n");
        env.berth(["run", "--rm", "--uidmap", "1:400000:100", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("must map container id 0");
        return;
    }
    require!(crate::support::Need::SubUid);
    let (uid, _) = caller_ids(env);
    // Container 0..999 are subordinate ids 1..1000; container 1000 is the caller.
    let out = env
        .berth([
            "run", "--rm", "--uidmap", "0:1:1000", "--uidmap", "1000:0:1",
        ])
        .args(["-u", "1000", "busybox", "sh", "-c"])
        .arg("cat /proc/self/uid_map; id -u; stat -c %u /bin/busybox")
        .assert_success();
    let lines = out.lines();
    let map: Vec<Vec<&str>> = lines[..2]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(map[0][0], "0");
    assert_eq!(map[0][2], "1000");
    assert_eq!(map[1], ["1000", &uid.to_string()[..], "1"]);
    assert_eq!(lines[2..], ["1000", "0"], "{}", out.stdout);
    for (args, words) in [
        (&["--uidmap", "5:1:1000"][..], "must map container id 0"),
        (&["--uidmap", "0:0:70000"], "not in the range"),
        (&["--uidmap", "0:0:10", "--uidmap", "5:20:10"], "overlap"),
        (&["--uidmap", "0:0"], "CONTAINER:HOST:COUNT"),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(userns_nomap_leaves_the_caller_out, |env| {
    env.load(fixtures::busybox());
    if !env.rootless() {
        env.berth(["run", "--rm", "--userns", "nomap", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("only for rootless containers");
        return;
    }
    require!(crate::support::Need::SubUid);
    let (uid, _) = caller_ids(env);
    // nomap, and a --uidmap without the caller: the container is set up as its own root.
    for args in [&["--userns", "nomap"][..], &["--uidmap", "0:1:2000"]] {
        let out = env
            .berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "sh", "-c"])
            .arg("id -u; stat -c %u /bin/busybox; cat /proc/self/uid_map")
            .assert_success();
        let lines = out.lines();
        assert_eq!(lines[..2], ["0", "0"], "{}", out.stdout);
        for l in &lines[2..] {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (outside, count): (u32, u32) = (f[1].parse().unwrap(), f[2].parse().unwrap());
            assert!(
                !(outside..outside + count).contains(&uid),
                "the caller {uid} is mapped: {}",
                out.stdout
            );
        }
    }
});

both_modes!(subuidname_maps_a_named_range, |env| {
    env.load(fixtures::busybox());
    if env.rootless() {
        env.berth(["run", "--rm", "--subuidname", "x", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("are for root");
        return;
    }
    require!(crate::support::Need::TestUser);
    let line = std::fs::read_to_string("/etc/subuid")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{}:", crate::support::TEST_USER))
                .map(str::to_string)
        })
        .expect("a subuid range for the test user");
    let (start, count) = line.split_once(':').unwrap();
    let out = env
        .berth(["run", "--rm", "--subuidname", crate::support::TEST_USER])
        .args(["busybox", "cat", "/proc/self/uid_map", "/proc/self/gid_map"])
        .assert_success();
    for l in out.lines() {
        assert_eq!(
            l.split_whitespace().collect::<Vec<_>>(),
            ["0", start, count],
            "{}",
            out.stdout
        );
    }
    for (args, words) in [
        (
            &["--subuidname", "nosuchname"][..],
            "no range for \"nosuchname\"",
        ),
        (
            &["--subuidname", "x", "--uidmap", "0:1:1"],
            "conflicting options",
        ),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

/// Whether root has a `--userns auto` pool: the name "containers" in /etc/subuid (Podman's
/// convention; ci/setup.sh adds one).
fn root_auto_pool() -> bool {
    std::fs::read_to_string("/etc/subuid")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("containers:"))
}

both_modes!(userns_auto_gives_each_container_its_own_range, |env| {
    env.load(fixtures::busybox());
    let has_pool = root_auto_pool();
    if !env.rootless() && !has_pool {
        // Podman's convention for root: the pool is the name "containers" in /etc/subuid.
        env.berth(["run", "--rm", "--userns", "auto", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("needs ranges for the name \"containers\"");
        return;
    }
    if env.rootless() {
        require!(crate::support::Need::SubUid);
    }
    let a = running(env, &["--userns", "auto:size=2000"], &["sleep", "1000"]);
    let map_of = |args: &[&str]| -> Vec<String> {
        env.berth(args)
            .assert_success()
            .stdout
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let first = map_of(&["exec", &a.name, "cat", "/proc/self/uid_map"]);
    assert_eq!((first[0].as_str(), first[2].as_str()), ("0", "2000"));
    let second = map_of(&[
        "run",
        "--rm",
        "--userns",
        "auto",
        "busybox",
        "cat",
        "/proc/self/uid_map",
    ]);
    assert_eq!((second[0].as_str(), second[2].as_str()), ("0", "1024"));
    let (s1, s2): (u64, u64) = (first[1].parse().unwrap(), second[1].parse().unwrap());
    assert!(s2 >= s1 + 2000 || s2 + 1024 <= s1, "{first:?} {second:?}");
    env.berth(["exec", &a.name, "id", "-u"])
        .assert_success()
        .stdout_is("0\n");
    // A container that joins it (rootless: its user namespace too) sees the image's files as
    // their owners, and the same ipc namespace.
    let theirs = env
        .berth(["exec", &a.name, "readlink", "/proc/self/ns/ipc"])
        .assert_success()
        .stdout;
    env.berth(["run", "--rm", "--ipc", &format!("container:{}", a.name)])
        .args([
            "busybox",
            "sh",
            "-c",
            "readlink /proc/self/ns/ipc; stat -c %u /bin/busybox",
        ])
        .assert_success()
        .stdout_is(&format!("{theirs}0\n"));
    env.berth(["run", "--rm", "--userns", "auto:size=x", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid --userns");
});

both_modes!(parallel_userns_auto_creates_take_different_ranges, |env| {
    env.load(fixtures::busybox());
    let has_pool = root_auto_pool();
    if !env.rootless() && !has_pool {
        return; // userns_auto_gives_each_container_its_own_range checks the error
    }
    if env.rootless() {
        require!(crate::support::Need::SubUid);
    }
    // Created at once: each must see the ranges the others picked.
    let outs: Vec<PathBuf> = (0..4).map(|i| env.dir.join(format!("auto-{i}"))).collect();
    let children: Vec<_> = outs
        .iter()
        .map(|o| {
            env.berth(["create", "--userns", "auto:size=4000", "busybox", "true"])
                .spawn_with_stdout(o)
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let mut starts: Vec<u64> = outs
        .iter()
        .map(|o| {
            let id = std::fs::read_to_string(o).unwrap().trim().to_string();
            let config: serde_json::Value = serde_json::from_slice(
                &std::fs::read(env.root.join("containers").join(&id).join("config.json")).unwrap(),
            )
            .unwrap();
            let map = config["namespaces"]["uidmap"][0]
                .as_str()
                .unwrap()
                .to_string();
            map.split(':').nth(1).unwrap().parse().unwrap()
        })
        .collect();
    starts.sort_unstable();
    for w in starts.windows(2) {
        assert!(w[1] >= w[0] + 4000, "overlapping auto ranges: {starts:?}");
    }
});

both_modes!(ulimit_still_sets_the_containers_limits, |env| {
    env.load(fixtures::busybox());
    let (_, hard) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).unwrap();
    let (soft, hard) = (hard.min(1024) / 2, hard.min(2048));
    env.berth(["run", "--rm", "--ulimit", &format!("nofile={soft}:{hard}")])
        .args(["busybox", "sh", "-c", "ulimit -n; ulimit -Hn"])
        .assert_success()
        .stdout_is(&format!("{soft}\n{hard}\n"));
    // With the knobs and a user namespace of its own too.
    env.berth(["run", "--rm", "--ulimit", &format!("nofile={soft}:{hard}")])
        .args(["--oom-score-adj", "100", "--sysctl", "kernel.shmmni=77"])
        .args([
            "busybox",
            "sh",
            "-c",
            "ulimit -n; cat /proc/self/oom_score_adj",
        ])
        .assert_success()
        .stdout_is(&format!("{soft}\n100\n"));
});

both_modes!(userns_ns_path_joins_a_user_namespace, |env| {
    env.load(fixtures::busybox());
    if env.rootless() {
        env.berth([
            "run",
            "--rm",
            "--userns",
            "ns:/proc/1/ns/user",
            "busybox",
            "true",
        ])
        .assert_exit(125)
        .stderr_contains("is for root");
        return;
    }
    require!(crate::support::Need::Tool("unshare"));
    // A user namespace of our own making, held by a process we kill by its pid at the end.
    let mut holder = std::process::Command::new("unshare")
        .args(["--user", "sleep", "120"])
        .spawn()
        .unwrap();
    let ns = format!("/proc/{}/ns/user", holder.id());
    let mut theirs = String::new();
    for _ in 0..50 {
        if let Ok(l) = std::fs::read_link(&ns).map(|l| l.to_string_lossy().into_owned())
            && l != host_ns("user")
        {
            theirs = l;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Root writes its maps: uids and gids 0.. are host 500000...
    for f in ["uid_map", "gid_map"] {
        std::fs::write(format!("/proc/{}/{f}", holder.id()), "0 500000 65536\n").unwrap();
    }
    let out = env
        .berth([
            "run",
            "--rm",
            "--userns",
            &format!("ns:{ns}"),
            "busybox",
            "sh",
            "-c",
        ])
        .arg("readlink /proc/self/ns/user; id -u; stat -c %u /bin/busybox")
        .run();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, format!("{theirs}\n0\n0\n"));
    for (value, words) in [
        ("ns:relative", "absolute path"),
        ("ns:/proc/self/ns/net", "is not a user namespace"),
    ] {
        env.berth(["run", "--rm", "--userns", value, "busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
});

both_modes!(init_in_a_joined_pid_namespace, |env| {
    // berth's init is not PID 1 there, but still runs the command and passes its exit on.
    let a = running(env, &[], &["sleep", "4343"]);
    env.berth([
        "run",
        "--rm",
        "--init",
        "--pid",
        &format!("container:{}", a.name),
    ])
    .args(["busybox", "sh", "-c", "ps -o args; exit 3"])
    .assert_exit(3)
    .stdout_contains("sleep 4343");
});

both_modes!(networking_in_a_user_namespace_of_its_own, |env| {
    env.load(fixtures::busybox());
    if !env.rootless() {
        // The network namespace is owned by the container's user namespace: lo still comes up.
        env.berth(["run", "--rm", "--uidmap", "0:400000:65536", "busybox"])
            .args(["ip", "-o", "link", "show", "lo"])
            .assert_success()
            .stdout_contains("UP");
        return;
    }
    require!(
        crate::support::Need::SubUid,
        crate::support::Need::Tool("pasta"),
        crate::support::Need::UserDevice("/dev/net/tun")
    );
    // pasta joins the container's network namespace through its (keep-id) user namespace.
    env.berth([
        "run",
        "--rm",
        "--userns",
        "keep-id",
        "--network",
        "pasta",
        "busybox",
    ])
    .args(["sh", "-c", "ip -o link | grep -vc ': lo:'"])
    .assert_success()
    .stdout_is("1\n");
});
