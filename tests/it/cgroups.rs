//! Resource limits in the container's own cgroup: enforced for real where the host can (as
//! root on this hybrid host through cgroup v1; on a pure v2 host with a delegated subtree
//! rootless too), refused with the reason where it cannot (SECURITY.md I14); OOM reporting,
//! `inspect`'s HostConfig fields, `exec` joining the cgroup, `stats` and `update`.

use std::path::Path;
use std::time::Duration;

use crate::support::{TestEnv, fixtures, require_strict};

/// Whether berth can enforce a limit of `controller` (v2 name) in this test's mode: root on
/// a v1 hierarchy or a v2 root that has it; rootless only in a delegated v2 subtree that has it.
fn enforceable(env: &TestEnv, controller: &str) -> bool {
    let v2 = nix::sys::statfs::statfs("/sys/fs/cgroup")
        .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC);
    let has = |p: &Path| {
        std::fs::read_to_string(p.join("cgroup.controllers"))
            .is_ok_and(|c| c.split_whitespace().any(|w| w == controller))
    };
    // Rootless: as the test user from a root test process, or as this unprivileged process
    // itself (CI's second pass).
    let uid = env
        .user
        .as_ref()
        .map_or_else(|| nix::unistd::getuid().as_raw(), |u| u.uid);
    match (env.rootless(), v2) {
        (false, true) => has(Path::new("/sys/fs/cgroup")),
        (false, false) => {
            let v1 = if controller == "io" {
                "blkio"
            } else {
                controller
            };
            Path::new("/sys/fs/cgroup").join(v1).join("tasks").exists()
        }
        (true, true) => has(&Path::new("/sys/fs/cgroup/user.slice")
            .join(format!("user-{uid}.slice/user@{uid}.service"))),
        (true, false) => false,
    }
}

/// Checks the refusal a limit gets where it cannot be enforced.
fn assert_refused(cmd: crate::support::Cmd, flag: &str, controller: &str) {
    let out = cmd.assert_exit(125);
    let err = out.stderr.clone();
    assert!(
        err.starts_with(&format!("Error: {flag}: cannot enforce: ")) && err.contains(controller),
        "unexpected error: {err}"
    );
    assert!(err.contains("--ignore-unenforceable-limits"), "{err}");
}

/// The container's full id.
fn id_of(env: &TestEnv, name: &str) -> String {
    env.berth(["inspect", "--format", "{{.Id}}", name])
        .assert_success()
        .trimmed()
        .to_string()
}

/// Every directory of the container's cgroup that could exist on this host.
fn cgroup_dirs(id: &str) -> Vec<std::path::PathBuf> {
    let mut v = vec![Path::new("/sys/fs/cgroup/berth").join(id)];
    for c in ["memory", "pids", "cpu", "cpuset", "blkio", "devices"] {
        v.push(Path::new("/sys/fs/cgroup").join(c).join("berth").join(id));
    }
    v
}

both_modes!(memory_limit_oom_kills_and_inspect_says_so, |env| {
    env.load(fixtures::busybox());
    let name = env.name("oom");
    let run = env.berth([
        "run",
        "--name",
        &name,
        "--memory",
        "32m",
        "busybox",
        "sh",
        "-c",
        "tail /dev/zero",
    ]);
    if !enforceable(env, "memory") {
        assert_refused(run, "--memory", "memory");
        // Nothing was created.
        env.berth(["inspect", &name]).assert_exit(125);
        return;
    }
    run.timeout(Duration::from_secs(60)).assert_exit(137);
    env.berth(["inspect", "--format", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", &name])
        .assert_success()
        .stdout_is(&format!("true 137 {} 0\n", 32 << 20));
    // The cgroup went with the process.
    let id = id_of(env, &name);
    for d in cgroup_dirs(&id) {
        assert!(!d.exists(), "{} is left", d.display());
    }
    // Within the limit it runs to the end, and OOMKilled is false again.
    env.berth(["start", "-a", &name]).assert_exit(137);
    env.berth(["rm", &name]).assert_success();
    let name2 = env.name("fits");
    env.berth([
        "run",
        "--name",
        &name2,
        "-m",
        "32m",
        "busybox",
        "sh",
        "-c",
        "x=$(head -c 4000000 /dev/zero | tr '\\0' a); echo ${#x}",
    ])
    .assert_success()
    .stdout_is("4000000\n");
    env.berth(["inspect", "--format", "{{.State.OOMKilled}}", &name2])
        .assert_success()
        .stdout_is("false\n");
});

both_modes!(pids_limit_stops_the_extra_forks, |env| {
    env.load(fixtures::busybox());
    let run = env.berth([
        "run", "--rm", "--pids-limit", "10", "busybox", "sh", "-c",
        "(for i in $(seq 20); do (echo x >>/tmp/n; exec sleep 1) & done) 2>/dev/null; sleep 2; wc -l </tmp/n",
    ]);
    if !enforceable(env, "pids") {
        assert_refused(run, "--pids-limit", "pids");
        return;
    }
    let out = run.timeout(Duration::from_secs(60)).assert_success();
    let n: u32 = out.trimmed().parse().expect("a count");
    // sh and the loop's subshell count too: fewer than 10 of the 20 forks worked.
    assert!(
        (1..10).contains(&n),
        "{n} processes ran under --pids-limit 10"
    );
});

both_modes!(bad_limits_are_refused_at_create, |env| {
    env.load(fixtures::busybox());
    for (args, says) in [
        (
            vec!["--memory", "4m"],
            "minimum memory limit allowed is 6MB",
        ),
        (vec!["--memory", "lots"], "invalid --memory \"lots\""),
        (vec!["--cpus", "100000"], "CPUs available"),
        (vec!["--cpuset-cpus", "9999"], "CPU 9999 is not available"),
        (vec!["--memory-swap", "64m"], "always set the memory limit"),
        (
            vec!["--cgroups", "disabled", "--pids-limit", "5"],
            "--pids-limit and --cgroups disabled",
        ),
        (
            vec!["--cgroups", "sometimes"],
            "expected enabled, disabled, no-conmon or split",
        ),
        (vec!["--cpu-shares", "1"], "between 2 and 262144"),
    ] {
        let mut a = vec!["create"];
        a.extend(args.iter().copied());
        a.extend(["busybox", "true"]);
        env.berth(a).assert_exit(125).stderr_contains(says);
    }
    env.berth(["ps", "-a", "-q"])
        .assert_success()
        .stdout_empty();
});

both_modes!(inspect_shows_the_limits_with_dockers_names, |env| {
    env.load(fixtures::busybox());
    let name = env.name("lim");
    env.berth([
        "create",
        "--name",
        &name,
        "--ignore-unenforceable-limits",
        "-m",
        "64m",
        "--memory-swap",
        "-1",
        "--memory-reservation",
        "32m",
        "--cpus",
        "0.5",
        "--cpu-shares",
        "512",
        "--cpuset-cpus",
        "0",
        "--pids-limit",
        "100",
        "--blkio-weight",
        "300",
        "busybox",
        "true",
    ])
    .assert_success();
    env.berth([
        "inspect", "--format",
        "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.BlkioWeight}} {{.HostConfig.CpuQuota}} {{.HostConfig.CgroupParent}}",
        &name,
    ])
    .assert_success()
    .stdout_is(&format!("{} -1 {} 500000000 512 0 100 300 0 \n", 64 << 20, 32 << 20));
    // A container without limits has Docker's zero values.
    let plain = env.name("plain");
    env.berth(["create", "--name", &plain, "busybox", "true"])
        .assert_success();
    let j = env.berth(["inspect", &plain]).assert_success().json();
    let h = &j[0]["HostConfig"];
    assert_eq!(h["Memory"], 0);
    assert_eq!(h["NanoCpus"], 0);
    assert_eq!(h["CpusetCpus"], "");
    assert!(h["PidsLimit"].is_null());
    assert_eq!(j[0]["State"]["OOMKilled"], false);
});

both_modes!(exec_joins_the_containers_cgroup, |env| {
    env.load(fixtures::busybox());
    if !enforceable(env, "pids") {
        if !env.rootless() && require_strict() {
            panic!("needs the pids cgroup controller");
        }
        eprintln!("skipped: needs a pids cgroup controller berth can use in this mode");
        return;
    }
    let name = env.name("ex");
    env.berth(["run", "-d", "--name", &name, "busybox", "sleep", "60"])
        .assert_success();
    // The cgroup namespace is rooted at the container's cgroup: its init and an exec'd
    // process both see themselves at its root.
    let cg = "grep -E '^[0-9]+:pids:|^0::' /proc/self/cgroup | head -1 | cut -d: -f3";
    let own = env.berth(["exec", &name, "sh", "-c", cg]).assert_success();
    assert_eq!(own.trimmed(), "/");
    let init = env
        .berth([
            "exec",
            &name,
            "sh",
            "-c",
            "grep -E '^[0-9]+:pids:|^0::' /proc/1/cgroup | head -1 | cut -d: -f3",
        ])
        .assert_success();
    assert_eq!(init.trimmed(), "/");
    env.berth(["rm", "-f", &name]).assert_success();
});

/// A shell script run as root in a private mount namespace where /sys/fs/cgroup is the cgroup2
/// tree (TESTING.md's pure-v2 view of this hybrid host), with `$B` the berth command line of
/// this environment. None (after saying why) where that cannot be done.
pub(crate) fn pure_v2(env: &TestEnv, script: &str) -> Option<crate::support::Cmd> {
    let v2 = Path::new("/sys/fs/cgroup/unified/cgroup.controllers").exists()
        || nix::sys::statfs::statfs("/sys/fs/cgroup")
            .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC);
    if env.rootless() {
        eprintln!("skipped: mounting a cgroup2 view needs root");
        return None;
    }
    if !v2 || crate::support::which("unshare").is_none() {
        assert!(!require_strict(), "needs a cgroup2 tree and unshare");
        eprintln!("skipped: needs a cgroup2 tree and unshare");
        return None;
    }
    let b = format!(
        "{} --root {} --runroot {}",
        crate::support::berth_bin().display(),
        env.root.display(),
        env.runroot.display()
    );
    Some(env.command(
        "unshare",
        [
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-euc",
            &format!("mount -t cgroup2 cgroup2 /sys/fs/cgroup; B='{b}'; {script}"),
        ],
    ))
}

both_modes!(cgroup_v2_leaf_placement_and_pause_for_real, |env| {
    env.load(fixtures::busybox());
    let name = env.name("v2");
    let script = format!(
        "$B run -d --name {name} busybox sleep 60 >/dev/null
         pid=$($B inspect --format '{{{{.State.Pid}}}}' {name})
         id=$($B inspect --format '{{{{.Id}}}}' {name})
         echo host=$(grep '^0::' /proc/$pid/cgroup)
         test \"$(cat /sys/fs/cgroup/berth/$id/cgroup.procs)\" = \"$pid\" && echo procs=ok
         $B exec {name} grep ^0:: /proc/self/cgroup
         $B pause {name} >/dev/null
         echo frozen=$(grep frozen /sys/fs/cgroup/berth/$id/cgroup.events)
         $B unpause {name} >/dev/null
         $B rm -f {name} >/dev/null
         test -e /sys/fs/cgroup/berth/$id && echo left || echo gone
         $B run --rm busybox grep ^0:: /proc/self/cgroup"
    );
    let Some(cmd) = pure_v2(env, &script) else {
        return;
    };
    let out = cmd.timeout(Duration::from_secs(60)).assert_success();
    let lines = out.lines();
    assert!(
        lines[0].starts_with("host=0::/berth/") && lines[0].len() == "host=0::/berth/".len() + 64,
        "{lines:?}"
    );
    // The container and an exec'd process see their cgroup namespace's root.
    assert_eq!(
        lines[1..],
        ["procs=ok", "0::/", "frozen=frozen 1", "gone", "0::/"]
    );
});

both_modes!(cgroup_v2_without_the_controller_refuses_or_ignores, |env| {
    env.load(fixtures::busybox());
    let script = "$B run --rm --memory 64m busybox true && echo ran || echo refused
                  $B run --rm --memory 64m --ignore-unenforceable-limits busybox echo ran";
    let Some(cmd) = pure_v2(env, script) else {
        return;
    };
    if std::fs::read_to_string("/sys/fs/cgroup/unified/cgroup.controllers")
        .is_ok_and(|c| c.split_whitespace().any(|w| w == "memory"))
    {
        eprintln!("skipped: this host's cgroup2 tree has the memory controller");
        return;
    }
    let out = cmd.assert_success();
    assert_eq!(out.lines(), ["refused", "ran"]);
    assert!(
        out.stderr.contains("Error: --memory: cannot enforce: berth needs the memory cgroup controller; this host has cgroup v2, without the memory controller in /sys/fs/cgroup"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("ignored"), "{}", out.stderr);
});

both_modes!(info_says_whether_limits_can_be_enforced, |env| {
    env.berth([
        "info",
        "--format",
        "{{.MemoryLimit}} {{.PidsLimit}} {{.CgroupDriver}}",
    ])
    .assert_success()
    .stdout_is(&format!(
        "{} {} cgroupfs\n",
        enforceable(env, "memory"),
        enforceable(env, "pids")
    ));
});

/// Bytes from go-units `BytesSize` output (`1.5MiB`).
fn parse_binary_size(s: &str) -> f64 {
    let split = s
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or_else(|| panic!("no unit in {s:?}"));
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().unwrap_or_else(|_| panic!("bad size {s:?}"));
    let mult = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => panic!("bad unit in {s:?}"),
    };
    n * mult
}

both_modes!(stats_shows_memory_moving_and_the_pids, |env| {
    env.load(fixtures::busybox());
    let name = env.name("st");
    let with_memory = enforceable(env, "memory");
    let mut args = vec!["run", "-d", "--name", &name];
    if with_memory {
        args.extend(["--memory", "256m"]);
    }
    args.extend([
        "busybox",
        "sh",
        "-c",
        "sleep 100 & while [ ! -e /go ]; do sleep 0.1; done; x=$(head -c 40000000 /dev/zero | tr '\\0' a); touch /done; sleep 100; echo ${#x}",
    ]);
    env.berth(args).assert_success();
    let sample = || {
        let out = env
            .berth([
                "stats",
                "--no-stream",
                "--format",
                "{{.Name}}|{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}|{{.NetIO}}",
                &name,
            ])
            .assert_success();
        let line = out.trimmed().to_string();
        let f: Vec<String> = line.split('|').map(str::to_string).collect();
        assert_eq!(f.len(), 5, "{line}");
        assert_eq!(f[0], name);
        assert!(f[3].ends_with('%'), "{line}");
        assert_eq!(f[4], "0B / 0B", "{line}");
        f
    };
    let f = sample();
    // sh, the background sleep and the polling sleep (or the moment between two).
    let pids: u32 = f[2].parse().unwrap();
    assert!((2..=3).contains(&pids), "PIDS {}", f[2]);
    let before = f[1].clone();
    env.berth(["exec", &name, "touch", "/go"]).assert_success();
    let start = std::time::Instant::now();
    while env.berth(["exec", &name, "test", "-e", "/done"]).run().code != Some(0) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "/done never came"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = sample();
    if !with_memory {
        assert_eq!(before, "-- / --");
        assert_eq!(after[1], "-- / --");
    } else {
        let used = |s: &str| parse_binary_size(s.split(" / ").next().unwrap());
        let limit = |s: &str| parse_binary_size(s.split(" / ").nth(1).unwrap());
        assert!(
            used(&after[1]) - used(&before) > 30e6,
            "MEM USAGE did not grow by the 40 MB the container holds: {before} then {}",
            after[1]
        );
        assert_eq!(limit(&after[1]), 256.0 * 1024.0 * 1024.0);
    }
    // sh (which holds the memory) and its two sleeps.
    assert_eq!(after[2], "3");
    // The table's header is Docker's.
    env.berth(["stats", "--no-stream", &name])
        .assert_success()
        .stdout_contains("CONTAINER ID   NAME")
        .stdout_contains("CPU %     MEM USAGE / LIMIT");
    env.berth(["rm", "-f", &name]).assert_success();
    env.berth(["stats", "--no-stream", &name]).assert_exit(125);
});

/// The container's cgroup file `file` of v1 `controller` (or v2) on this host, as root.
fn cgroup_file(id: &str, controller: &str, file: &str) -> Option<String> {
    let v2 = Path::new("/sys/fs/cgroup/berth").join(id).join(file);
    let v1 = Path::new("/sys/fs/cgroup")
        .join(controller)
        .join("berth")
        .join(id)
        .join(file);
    std::fs::read_to_string(v2)
        .or_else(|_| std::fs::read_to_string(v1))
        .ok()
        .map(|s| s.trim().to_string())
}

both_modes!(
    update_changes_a_running_containers_limits_and_its_record,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("up");
        env.berth(["update", "--memory", "64m", "nosuch"])
            .assert_exit(125)
            .stderr_contains("nosuch");
        if !enforceable(env, "memory") {
            env.berth(["run", "-d", "--name", &name, "busybox", "sleep", "1000"])
                .assert_success();
            assert_refused(
                env.berth(["update", "--memory", "64m", &name]),
                "--memory",
                "memory",
            );
            // Nothing changed; a restart policy needs no cgroup.
            env.berth(["update", "--restart", "on-failure:2", &name])
                .assert_success()
                .stdout_is(&format!("{name}\n"));
            env.berth([
                "inspect",
                "--format",
                "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}",
                &name,
            ])
            .assert_success()
            .stdout_is("0 on-failure\n");
            env.berth(["rm", "-f", &name]).assert_success();
            return;
        }
        env.berth([
            "run",
            "-d",
            "--name",
            &name,
            "--memory",
            "128m",
            "--memory-swap",
            "256m",
            "busybox",
            "sleep",
            "1000",
        ])
        .assert_success();
        let id = id_of(env, &name);
        env.berth(["update"]).assert_exit(125);
        env.berth(["update", &name])
            .assert_exit(125)
            .stderr_contains("one or more flags");
        env.berth([
            "update",
            "--memory",
            "256m",
            "--memory-swap",
            "512m",
            "--cpus",
            "1",
            "--pids-limit",
            "50",
            &name,
        ])
        .assert_success()
        .stdout_is(&format!("{name}\n"));
        env.berth([
        "inspect", "--format",
        "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}",
        &name,
    ])
    .assert_success()
    .stdout_is(&format!("{} {} 1000000000 50\n", 256 << 20, 512 << 20));
        let mem = cgroup_file(&id, "memory", "memory.max")
            .or_else(|| cgroup_file(&id, "memory", "memory.limit_in_bytes"));
        assert_eq!(mem, Some((256u64 << 20).to_string()));
        assert_eq!(cgroup_file(&id, "pids", "pids.max").as_deref(), Some("50"));
        let cpu = cgroup_file(&id, "cpu", "cpu.max")
            .or_else(|| cgroup_file(&id, "cpu", "cpu.cfs_quota_us"));
        assert!(
            matches!(cpu.as_deref(), Some("100000 100000" | "100000")),
            "{cpu:?}"
        );
        // Enforced at once: lowered, the limit OOM-kills what an exec allocates beyond it.
        env.berth(["update", "-m", "32m", "--memory-swap", "64m", &name])
            .assert_success();
        env.berth(["exec", &name, "sh", "-c", "tail /dev/zero"])
            .timeout(Duration::from_secs(60))
            .assert_exit(137);
        env.berth(["rm", "-f", &name]).assert_success();
        // Every directory went, the one update added for cpu too.
        for d in cgroup_dirs(&id) {
            assert!(!d.exists(), "{} is left", d.display());
        }
        // A stopped container: only the record changes, and its next start applies it.
        let stopped = env.name("upstopped");
        env.berth(["create", "--name", &stopped, "busybox", "sleep", "1000"])
            .assert_success();
        env.berth(["update", "--memory", "100m", &stopped])
            .assert_success();
        env.berth(["start", &stopped]).assert_success();
        let id = id_of(env, &stopped);
        let mem = cgroup_file(&id, "memory", "memory.max")
            .or_else(|| cgroup_file(&id, "memory", "memory.limit_in_bytes"));
        assert_eq!(mem, Some((100u64 << 20).to_string()));
        env.berth(["rm", "-f", &stopped]).assert_success();
    }
);

both_modes!(device_cgroup_rules_are_written_as_root_on_v1, |env| {
    env.load(fixtures::busybox());
    let name = env.name("dev");
    let run = env.berth([
        "run",
        "-d",
        "--name",
        &name,
        "--device-cgroup-rule",
        "b 7:* r",
        "busybox",
        "sleep",
        "100",
    ]);
    if !enforceable(env, "devices") {
        assert_refused(run, "--device-cgroup-rule", "devices");
        return;
    }
    run.assert_success();
    let id = id_of(env, &name);
    let list = cgroup_file(&id, "devices", "devices.list").expect("a devices cgroup");
    let rules: Vec<&str> = list.lines().collect();
    // Only the allow list: not "a *:* rwm", which a cgroup without rules has.
    assert!(!rules.contains(&"a *:* rwm"), "{rules:?}");
    for want in ["c 1:3 rwm", "c 136:* rwm", "b 7:* r", "c *:* m"] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    // The devices the container has still work.
    env.berth([
        "exec",
        &name,
        "sh",
        "-c",
        "echo x >/dev/null && head -c 1 /dev/zero | wc -c",
    ])
    .assert_success()
    .stdout_is("1\n");
    env.berth([
        "inspect",
        "--format",
        "{{json .HostConfig.DeviceCgroupRules}}",
        &name,
    ])
    .assert_success()
    .stdout_is("[\"b 7:* r\"]\n");
    env.berth(["rm", "-f", &name]).assert_success();
    assert!(!Path::new("/sys/fs/cgroup/devices/berth").join(&id).exists());
    env.berth([
        "create",
        "--device-cgroup-rule",
        "q 1:1 r",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("the type must be a (all), b (block) or c (char)");
});

both_modes!(
    a_device_cgroup_allows_what_device_and_privileged_grant,
    |env| {
        env.load(fixtures::busybox());
        let open_fuse = |extra: &[&str]| {
            let mut args = vec!["run", "--rm", "--device-cgroup-rule", "c 1:3 rwm"];
            args.extend_from_slice(extra);
            args.extend_from_slice(&["busybox", "sh", "-c", ": </dev/fuse && echo opened"]);
            env.berth(args)
        };
        if !enforceable(env, "devices") {
            assert_refused(
                open_fuse(&["--device", "/dev/fuse"]),
                "--device-cgroup-rule",
                "devices",
            );
            return;
        }
        // The rules deny everything else, but --device's node is the container's to open...
        open_fuse(&["--device", "/dev/fuse"])
            .assert_success()
            .stdout_is("opened\n");
        // ...and --privileged allows every device.
        open_fuse(&["--privileged"])
            .assert_success()
            .stdout_is("opened\n");
    }
);

both_modes!(stats_streams_plain_tables_when_not_on_a_terminal, |env| {
    env.load(fixtures::busybox());
    let name = env.name("stream");
    env.berth(["run", "-d", "--name", &name, "busybox", "sleep", "100"])
        .assert_success();
    let out = env.path("stats.out");
    let mut child = env
        .berth(["stats", "--format", "table {{.Name}}\t{{.PIDs}}", &name])
        .spawn_with_stdout(&out);
    std::thread::sleep(Duration::from_millis(3200));
    child.kill().expect("killing stats");
    child.wait().expect("waiting for stats");
    let text = std::fs::read_to_string(&out).unwrap();
    // Refreshed about every second, each time a whole table; no screen control codes.
    let tables = text.matches("NAME").count();
    assert!((2..=4).contains(&tables), "{tables} tables in {text:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains(&format!("{name}   1\n")), "{text:?}");
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(an_oom_kill_is_an_event, |env| {
    env.load(fixtures::busybox());
    if !enforceable(env, "memory") {
        assert_refused(
            env.berth(["run", "--rm", "-m", "16m", "busybox", "true"]),
            "--memory",
            "memory",
        );
        return;
    }
    let name = env.name("oomev");
    env.berth([
        "run",
        "--name",
        &name,
        "-m",
        "16m",
        "busybox",
        "sh",
        "-c",
        "tail /dev/zero",
    ])
    .timeout(Duration::from_secs(60))
    .assert_exit(137);
    env.berth([
        "events",
        "--stream=false",
        "--filter",
        "event=oom",
        "--format",
        "{{.Status}} {{.Actor.Attributes.name}}",
    ])
    .assert_success()
    .stdout_is(&format!("oom {name}\n"));
});

/// The container's state file as JSON.
fn state_of(env: &TestEnv, name: &str) -> serde_json::Value {
    let id = id_of(env, name);
    let text = std::fs::read_to_string(env.root.join("containers").join(id).join("state.json"))
        .expect("reading state.json");
    serde_json::from_str(&text).expect("state.json is JSON")
}

/// The directories the state records for the container's cgroup.
fn recorded_cgroup(state: &serde_json::Value) -> Vec<std::path::PathBuf> {
    match &state["cgroup"]["paths"] {
        serde_json::Value::String(p) => vec![p.into()],
        serde_json::Value::Object(m) => m
            .values()
            .filter_map(|v| v.as_str().map(std::path::PathBuf::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// SIGKILLs the container's monitor (a process this test started) and waits until the
/// container has died with it.
fn kill_monitor(state: &serde_json::Value) {
    let monitor = i32::try_from(state["monitor_pid"].as_i64().unwrap()).unwrap();
    assert!(monitor > 1);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(monitor),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9 the monitor");
    let proc = std::path::PathBuf::from(format!("/proc/{}", state["pid"]));
    let start = std::time::Instant::now();
    while proc.exists()
        && !std::fs::read_to_string(proc.join("stat")).is_ok_and(|s| s.contains(") Z"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "container outlived its monitor"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

both_modes!(
    a_cgroup_left_by_a_killed_monitor_goes_at_the_next_start_or_rm,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("left");
        env.berth(["run", "-d", "--name", &name, "busybox", "sleep", "100"])
            .assert_success();
        let s = state_of(env, &name);
        let dirs = recorded_cgroup(&s);
        // Root here (the default pids limit), or rootless with a delegated v2 subtree.
        if enforceable(env, "pids") {
            assert!(!dirs.is_empty() && dirs.iter().all(|d| d.exists()), "{s}");
        }
        kill_monitor(&s);
        // Left behind: nobody removed it; the next start makes it afresh.
        assert!(dirs.iter().all(|d| d.exists()), "{dirs:?}");
        env.berth(["start", &name]).assert_success();
        let again = recorded_cgroup(&state_of(env, &name));
        assert_eq!(again, dirs);
        kill_monitor(&state_of(env, &name));
        // rm removes what the killed monitor could not.
        env.berth(["rm", &name]).assert_success();
        for d in &dirs {
            assert!(!d.exists(), "{} is left", d.display());
        }
    }
);

both_modes!(cpus_and_cpuset_are_enforced, |env| {
    env.load(fixtures::busybox());
    let name = env.name("cpu");
    let run = env.berth([
        "run",
        "-d",
        "--name",
        &name,
        "--cpus",
        "0.2",
        "--cpuset-cpus",
        "0",
        "busybox",
        "sh",
        "-c",
        "while :; do :; done",
    ]);
    if !enforceable(env, "cpu") || !enforceable(env, "cpuset") {
        assert_refused(run, "--cpus", "cpu");
        return;
    }
    run.assert_success();
    let pid = env
        .berth(["inspect", "--format", "{{.State.Pid}}", &name])
        .assert_success()
        .trimmed()
        .to_string();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    assert!(status.contains("Cpus_allowed_list:\t0\n"), "{status}");
    let ticks = || -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let f: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
    };
    let (t0, w0) = (ticks(), std::time::Instant::now());
    std::thread::sleep(Duration::from_secs(2));
    let used = (ticks() - t0) as f64 / 100.0;
    let wall = w0.elapsed().as_secs_f64();
    // A busy loop gets 0.2 CPUs: well under half the wall time, whatever the machine's load.
    assert!(
        used / wall < 0.35,
        "{used} s of CPU in {wall} s under --cpus 0.2"
    );
    assert!(used > 0.0);
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(blkio_weight_is_written_or_refused, |env| {
    env.load(fixtures::busybox());
    let name = env.name("bw");
    let out = env
        .berth([
            "run",
            "-d",
            "--name",
            &name,
            "--blkio-weight",
            "300",
            "busybox",
            "sleep",
            "100",
        ])
        .run();
    match out.code {
        Some(0) => {
            assert!(enforceable(env, "io"), "{}", out.stderr);
            let id = id_of(env, &name);
            let w = cgroup_file(&id, "blkio", "io.weight")
                .or_else(|| cgroup_file(&id, "blkio", "blkio.bfq.weight"))
                .or_else(|| cgroup_file(&id, "blkio", "blkio.weight"))
                .expect("a weight file");
            // v2 io.weight says "default N" (converted); v1 the weight itself.
            assert!(
                w == "300" || w.contains(&format!("default {}", 1 + 290 * 9999 / 990)),
                "{w}"
            );
            env.berth(["update", "--blkio-weight", "500", &name])
                .assert_success();
            let w = cgroup_file(&id, "blkio", "io.weight")
                .or_else(|| cgroup_file(&id, "blkio", "blkio.bfq.weight"))
                .or_else(|| cgroup_file(&id, "blkio", "blkio.weight"))
                .unwrap();
            assert!(w == "500" || w.contains("default 5000"), "{w}");
            env.berth(["rm", "-f", &name]).assert_success();
        }
        Some(125) => assert!(
            out.stderr
                .starts_with("Error: --blkio-weight: cannot enforce: "),
            "{}",
            out.stderr
        ),
        other => panic!("exit {other:?}: {}", out.stderr),
    }
});

both_modes!(device_throttles_are_written, |env| {
    env.load(fixtures::busybox());
    env.berth([
        "create",
        "--device-read-bps",
        "/dev/null:1mb",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("/dev/null is not a block device");
    let Some(dev) = ["/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/loop0"]
        .into_iter()
        .find(|d| {
            use std::os::unix::fs::FileTypeExt;
            std::fs::metadata(d).is_ok_and(|m| m.file_type().is_block_device())
        })
    else {
        assert!(!require_strict(), "needs a block device");
        eprintln!("skipped: needs a block device");
        return;
    };
    let name = env.name("thr");
    let run = env.berth([
        "run",
        "-d",
        "--name",
        &name,
        "--device-read-bps",
        &format!("{dev}:1mb"),
        "--device-write-iops",
        &format!("{dev}:100"),
        "busybox",
        "sleep",
        "100",
    ]);
    if !enforceable(env, "io") {
        assert_refused(run, "--device-read-bps", "io");
        return;
    }
    run.assert_success();
    let id = id_of(env, &name);
    let rdev = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dev).unwrap().rdev()
    };
    let (major, minor) = (nix::sys::stat::major(rdev), nix::sys::stat::minor(rdev));
    match cgroup_file(&id, "blkio", "io.max") {
        Some(max) => {
            assert!(
                max.contains(&format!("{major}:{minor} rbps=1048576")),
                "{max}"
            );
            assert!(max.contains("wiops=100"), "{max}");
        }
        None => {
            let r = cgroup_file(&id, "blkio", "blkio.throttle.read_bps_device").unwrap();
            assert_eq!(r, format!("{major}:{minor} 1048576"));
            let w = cgroup_file(&id, "blkio", "blkio.throttle.write_iops_device").unwrap();
            assert_eq!(w, format!("{major}:{minor} 100"));
        }
    }
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(
    cgroup_parent_places_the_container_and_cgroups_disabled_makes_none,
    |env| {
        env.load(fixtures::busybox());
        let parent = format!("berth-test-{}", crate::support::random_hex(8));
        let name = env.name("par");
        env.berth([
            "run",
            "-d",
            "--name",
            &name,
            "--cgroup-parent",
            &format!("/{parent}"),
            "busybox",
            "sleep",
            "100",
        ])
        .assert_success();
        env.berth(["inspect", "--format", "{{.HostConfig.CgroupParent}}", &name])
            .assert_success()
            .stdout_is(&format!("/{parent}\n"));
        let dirs = recorded_cgroup(&state_of(env, &name));
        if enforceable(env, "pids") {
            assert!(!dirs.is_empty());
            for d in &dirs {
                assert!(d.exists(), "{}", d.display());
                assert_eq!(
                    d.parent().unwrap().file_name().unwrap().to_str().unwrap(),
                    parent,
                    "{}",
                    d.display()
                );
            }
        }
        env.berth(["rm", "-f", &name]).assert_success();
        for d in &dirs {
            assert!(!d.exists(), "{}", d.display());
            // The parent is berth's too (made for this test): remove it.
            std::fs::remove_dir(d.parent().unwrap()).expect("removing the test's parent cgroup");
        }
        let off = env.name("off");
        env.berth([
            "run",
            "-d",
            "--name",
            &off,
            "--cgroups",
            "disabled",
            "busybox",
            "sleep",
            "100",
        ])
        .assert_success();
        assert!(recorded_cgroup(&state_of(env, &off)).is_empty());
        env.berth(["inspect", "--format", "{{.HostConfig.Cgroups}}", &off])
            .assert_success()
            .stdout_is("disabled\n");
        env.berth(["rm", "-f", &off]).assert_success();
    }
);

both_modes!(stats_all_lists_stopped_containers_with_zeros, |env| {
    env.load(fixtures::busybox());
    let stopped = env.name("stopped");
    env.berth(["create", "--name", &stopped, "busybox", "true"])
        .assert_success();
    let fmt = "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}";
    // Only running containers by default: none.
    env.berth(["stats", "--no-stream", "--format", fmt])
        .assert_success()
        .stdout_empty();
    env.berth(["stats", "--no-stream", "-a", "--format", fmt])
        .assert_success()
        .stdout_is(&format!("{stopped}|0.00%|0B / 0B|0\n"));
    let id = id_of(env, &stopped);
    env.berth([
        "stats",
        "--no-stream",
        "--no-trunc",
        "-a",
        "--format",
        "{{.ID}}",
    ])
    .assert_success()
    .stdout_is(&format!("{id}\n"));
    env.berth(["stats", "--no-stream", "--format", "{{.Nope}}", &stopped])
        .assert_exit(125);
});

both_modes!(
    the_default_pids_limit_is_podmans_where_pids_is_available,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("defpids");
        // Never an error: a default is skipped where it cannot be enforced.
        env.berth(["run", "-d", "--name", &name, "busybox", "sleep", "100"])
            .assert_success();
        let id = id_of(env, &name);
        let max = cgroup_file(&id, "pids", "pids.max");
        if enforceable(env, "pids") {
            assert_eq!(max.as_deref(), Some("2048"));
        } else {
            assert_eq!(max, None);
        }
        env.berth(["rm", "-f", &name]).assert_success();
    }
);
