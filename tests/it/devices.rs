//! Device access control, enforced for real: a root container may make any node (Docker's
//! `c *:* m`, `b *:* m`) but open only those on its list (Docker's defaults, `--device`,
//! `--device-cgroup-rule`), through the v1 devices controller on this hybrid host and an eBPF
//! device program in the pure cgroup v2 view; even with CAP_SYS_ADMIN and CAP_MKNOD, which let
//! it mount a tmpfs that allows device nodes. Rootless containers get no device cgroup (the
//! kernel opens no node a user namespace makes) and `--device-cgroup-rule` is an error there.

use std::path::Path;
use std::time::Duration;

use crate::cgroups::pure_v2;
use crate::support::{Need, fixtures, require_strict};

/// The container-side script: mounts a tmpfs that allows device nodes at /m, makes the nodes
/// `name:type:major:minor` there, and prints `name=ok` or `name=<why not>` for opening each
/// for reading (`name+w=...` for writing when the name ends in `+w`, the node being `name`).
fn probe_script(nodes: &[(&str, char, u32, u32)], writes: &[&str]) -> String {
    let mut s = String::from(
        "o() { if e=$( ( : <\"/m/$1\" ) 2>&1 ); then echo \"$1=ok\"; else echo \"$1=$e\"; fi; }
         w() { if e=$( ( : >>\"/m/$1\" ) 2>&1 ); then echo \"$1+w=ok\"; else echo \"$1+w=$e\"; fi; }
         mkdir -p /m && mount -t tmpfs -o dev,mode=755 probe /m || exit 3\n",
    );
    for (name, kind, major, minor) in nodes {
        s.push_str(&format!(
            "mknod /m/{name} {kind} {major} {minor} || echo {name}=mknod-failed\n"
        ));
    }
    for (name, ..) in nodes {
        s.push_str(&format!("o {name}\n"));
    }
    for name in writes {
        s.push_str(&format!("w {name}\n"));
    }
    s
}

/// A block device of this host that root can open (its numbers), for a node made in the
/// container; None when there is none.
fn host_block_device() -> Option<(u32, u32)> {
    let mut found: Vec<(u32, u32)> = std::fs::read_dir("/sys/dev/block")
        .ok()?
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let (a, b) = name.split_once(':')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .collect();
    // A loop device first: nothing is read from it even if a test went wrong.
    found.sort_by_key(|(major, _)| *major != 7);
    found.into_iter().find(|(a, b)| {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let uevent =
            std::fs::read_to_string(format!("/sys/dev/block/{a}:{b}/uevent")).unwrap_or_default();
        let Some(name) = uevent.lines().find_map(|l| l.strip_prefix("DEVNAME=")) else {
            return false;
        };
        let dev = Path::new("/dev").join(name);
        std::fs::metadata(&dev).is_ok_and(|m| {
            m.file_type().is_block_device()
                && m.rdev() == nix::sys::stat::makedev((*a).into(), (*b).into())
        }) && std::fs::File::open(&dev).is_ok()
    })
}

const DENIED: &str = "Operation not permitted";

/// Asserts the probe's report: `want` maps each name to true (opened) or false (EPERM).
fn assert_report(out: &str, want: &[(&str, bool)]) {
    let lines: Vec<&str> = out.lines().collect();
    for (name, ok) in want {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no report for {name} in {lines:?}"));
        if *ok {
            assert_eq!(*line, format!("{name}=ok"), "{lines:?}");
        } else {
            assert!(line.contains(DENIED), "{name} not denied: {lines:?}");
        }
    }
}

/// The run arguments of a root container that can mount and mknod.
const CAPS: [&str; 4] = ["--cap-add", "SYS_ADMIN", "--cap-add", "MKNOD"];

both_modes!(a_root_container_opens_only_the_devices_on_its_list, |env| {
    env.load(fixtures::busybox());
    let blk = host_block_device();
    let mut nodes = vec![("null", 'c', 1, 3), ("fuse", 'c', 10, 229)];
    if let Some((a, b)) = blk {
        nodes.push(("disk", 'b', a, b));
    }
    let run = |extra: &[&str], writes: &[&str]| {
        let script = probe_script(&nodes, writes);
        let mut args = vec!["run", "--rm", "--network", "none"];
        args.extend_from_slice(&CAPS);
        args.extend_from_slice(extra);
        args.extend_from_slice(&["busybox", "sh", "-c", &script]);
        env.berth(args).timeout(Duration::from_secs(60))
    };
    if env.rootless() {
        // The kernel makes no usable node in a user namespace: mknod is refused, so nothing
        // but what berth bound in can be opened, device cgroup or not.
        let out = run(&[], &[]).assert_success();
        for l in out.lines() {
            assert!(!l.ends_with("=ok"), "rootless opened a node it made: {l}");
        }
        assert!(out.stdout.contains("fuse=mknod-failed"), "{}", out.stdout);
        return;
    }
    if blk.is_none() {
        assert!(!require_strict(), "needs a host block device");
        eprintln!("skipped (the block device part): needs a host block device");
    }
    // The default list: the nodes it names open, any other only mknods.
    let out = run(&[], &[]).assert_success();
    let mut want = vec![("null", true), ("fuse", false)];
    if blk.is_some() {
        want.push(("disk", false));
    }
    assert_report(&out.stdout, &want);
    assert!(!out.stdout.contains("mknod-failed"), "{}", out.stdout);
    // A rule opens its device, for the access it grants and no more.
    let out = run(&["--device-cgroup-rule", "c 10:229 r"], &["fuse"]).assert_success();
    assert_report(&out.stdout, &[("fuse", true), ("fuse+w", false)]);
    if let Some((a, b)) = blk {
        let rule = format!("b {a}:{b} r");
        let out = run(&["--device-cgroup-rule", &rule], &[]).assert_success();
        assert_report(&out.stdout, &[("disk", true), ("fuse", false)]);
        let rule = format!("b {a}:* r");
        let out = run(&["--device-cgroup-rule", &rule], &[]).assert_success();
        assert_report(&out.stdout, &[("disk", true)]);
    }
    // --device's node is on the list; --privileged allows every device.
    let out = run(&["--device", "/dev/fuse"], &["fuse"]).assert_success();
    assert_report(&out.stdout, &[("fuse", true), ("fuse+w", true)]);
    let out = run(&["--privileged"], &[]).assert_success();
    assert_report(&out.stdout, &[("fuse", true), ("null", true)]);
    // --cgroups disabled: no cgroup, so no device cgroup either (as in Podman).
    let out = run(&["--cgroups", "disabled"], &[]).assert_success();
    assert_report(&out.stdout, &[("fuse", true)]);
});

both_modes!(exec_is_held_to_the_same_list, |env| {
    env.load(fixtures::busybox());
    if env.rootless() {
        eprintln!("skipped: rootless containers have no device list (see the test above)");
        return;
    }
    let name = env.name("devexec");
    let mut args = vec!["run", "-d", "--name", &name, "--network", "none"];
    args.extend_from_slice(&CAPS);
    args.extend_from_slice(&["busybox", "sleep", "100"]);
    env.berth(args).assert_success();
    let script = probe_script(&[("null", 'c', 1, 3), ("fuse", 'c', 10, 229)], &[]);
    let out = env.berth(["exec", &name, "sh", "-c", &script]).run();
    // Removed before anything is asserted, so that a failure leaves nothing running.
    env.berth(["rm", "-f", &name]).assert_success();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_report(&out.stdout, &[("null", true), ("fuse", false)]);
});

both_modes!(
    device_cgroup_rules_are_refused_rootless_and_devices_still_work,
    |env| {
        env.load(fixtures::busybox());
        if !env.rootless() {
            // Root takes the rule (enforced: see above) and a bad one is refused at create.
            env.berth([
                "create",
                "--device-cgroup-rule",
                "c 1:3 rwz",
                "busybox",
                "true",
            ])
            .assert_exit(125)
            .stderr_contains("the access must be made of r, w and m");
            return;
        }
        let out = env
            .berth([
                "run",
                "--rm",
                "--device-cgroup-rule",
                "c 10:229 rw",
                "busybox",
                "true",
            ])
            .assert_exit(125);
        assert!(
        out.stderr.starts_with(
            "Error: --device-cgroup-rule: cannot enforce: device rules need root: an unprivileged user can neither write the v1 devices controller nor load a cgroup v2 eBPF device program"
        ),
        "{}",
        out.stderr
    );
        assert!(
            out.stderr.contains("--ignore-unenforceable-limits"),
            "{}",
            out.stderr
        );
        // Skipped with a warning when the user says so.
        env.berth([
            "run",
            "--rm",
            "--device-cgroup-rule",
            "c 10:229 rw",
            "--ignore-unenforceable-limits",
            "busybox",
            "echo",
            "ran",
        ])
        .assert_success()
        .stdout_is("ran\n");
        // --device needs no device cgroup.
        require!(Need::UserDevice("/dev/fuse"));
        env.berth([
            "run",
            "--rm",
            "--device",
            "/dev/fuse",
            "busybox",
            "sh",
            "-c",
            ": </dev/fuse && echo opened",
        ])
        .assert_success()
        .stdout_is("opened\n");
    }
);

both_modes!(cgroup_v2_a_device_program_enforces_the_list, |env| {
    env.load(fixtures::busybox());
    if env.rootless() {
        // Rootless gets no program; its refusal is tested above.
        eprintln!("skipped: mounting a cgroup2 view needs root");
        return;
    }
    let nodes = [("null", 'c', 1, 3), ("fuse", 'c', 10, 229)];
    let probe = probe_script(&nodes, &["fuse"]).replace('\'', "'\\''");
    let caps = CAPS.join(" ");
    let name = env.name("v2dev");
    let script = format!(
        "run() {{ $B run --rm --network none {caps} \"$@\" busybox sh -c '{probe}'; }}
         echo '# default'; run
         echo '# rule'; run --device-cgroup-rule 'c 10:229 r'
         echo '# device'; run --device /dev/fuse
         echo '# privileged'; run --privileged
         $B run -d --name {name} {caps} busybox sleep 100 >/dev/null
         id=$($B inspect --format '{{{{.Id}}}}' {name})
         echo '# exec'; $B exec {name} sh -c '{probe}' || true
         $B rm -f {name} >/dev/null
         test -e /sys/fs/cgroup/berth/$id && echo '# left' || echo '# gone'"
    );
    let Some(cmd) = pure_v2(env, &script) else {
        return;
    };
    let out = cmd.timeout(Duration::from_secs(120)).assert_success();
    let section = |title: &str| -> String {
        let text = &out.stdout;
        let start = text
            .find(&format!("# {title}\n"))
            .unwrap_or_else(|| panic!("no {title} section in {text}"));
        let rest = &text[start + title.len() + 3..];
        rest[..rest.find("# ").unwrap_or(rest.len())].to_string()
    };
    assert_report(
        &section("default"),
        &[("null", true), ("fuse", false), ("fuse+w", false)],
    );
    assert_report(&section("rule"), &[("fuse", true), ("fuse+w", false)]);
    assert_report(&section("device"), &[("fuse", true), ("fuse+w", true)]);
    assert_report(&section("privileged"), &[("fuse", true), ("fuse+w", true)]);
    assert_report(&section("exec"), &[("null", true), ("fuse", false)]);
    assert!(out.stdout.ends_with("# gone\n"), "{}", out.stdout);
});

both_modes!(a_vanished_rm_container_leaves_no_cgroup_behind, |env| {
    env.load(fixtures::busybox());
    let name = env.name("vanish");
    // A foreground --rm run whose berth is SIGKILLed: nobody is left to remove its cgroups
    // (the devices one included) but the next `ps`, which reaps it.
    let mut run = env
        .berth(["run", "--rm", "--name", &name, "busybox", "sleep", "1000"])
        .spawn();
    let start = std::time::Instant::now();
    let (id, pid) = loop {
        let out = env
            .berth([
                "inspect",
                "--format",
                "{{.State.Status}} {{.Id}} {{.State.Pid}}",
                &name,
            ])
            .run();
        let f: Vec<String> = out.stdout.split_whitespace().map(String::from).collect();
        if out.code == Some(0) && f.len() == 3 && f[0] == "running" {
            break (f[1].clone(), f[2].parse::<i32>().expect("a pid"));
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name} never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = run.kill();
    let _ = run.wait();
    // The container's process, started by this test's berth.
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
    let start = std::time::Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    env.berth(["ps", "-a"]).assert_success();
    env.berth(["container", "exists", &name]).assert_exit(1);
    for c in ["", "devices", "pids", "memory"] {
        let d = Path::new("/sys/fs/cgroup").join(c).join("berth").join(&id);
        assert!(!d.exists(), "{} is left", d.display());
    }
});
