//! Security options of `run`/`create`: `--cap-add`/`--cap-drop`, `--security-opt` (seccomp,
//! no-new-privileges, mask/unmask, label, apparmor), `--privileged` and `--device`, each proven
//! from inside the container, as root and rootless.

use crate::run::status_field;
use crate::support::{Cmd, Need, TestEnv, fixtures};

/// Loads the busybox fixture and returns `berth run --rm`.
fn bb(env: &TestEnv) -> Cmd {
    env.load(fixtures::busybox());
    env.berth(["run", "--rm"])
}

fn hex(mask: u64) -> String {
    format!("{mask:016x}")
}

/// The capability bounding set of this test process (berth's, root or rootless: the test user
/// is started from it), masked to what the kernel knows.
fn host_bounding() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    u64::from_str_radix(status_field(&status, "CapBnd"), 16).unwrap()
}

const ZERO: &str = "0000000000000000";
/// CAP_NET_BIND_SERVICE.
const NET_BIND_SERVICE: u64 = 1 << 10;
const SYS_ADMIN: u64 = 1 << 21;

both_modes!(cap_drop_all_add_one_is_exactly_that_one, |env| {
    let out = bb(env)
        .args([
            "--cap-drop",
            "ALL",
            "--cap-add",
            "net_bind_service",
            "busybox",
            "cat",
            "/proc/self/status",
        ])
        .assert_success();
    let s = &out.stdout;
    let want = hex(NET_BIND_SERVICE);
    for key in ["CapEff", "CapPrm", "CapBnd"] {
        assert_eq!(status_field(s, key), want, "{key}: {s}");
    }
    assert_eq!(status_field(s, "CapInh"), ZERO, "{s}");
    assert_eq!(status_field(s, "CapAmb"), ZERO, "{s}");
    // The CAP_ spelling in any case, and a drop from the default set.
    let out = env
        .berth(["run", "--rm", "--cap-drop", "cap_chown", "busybox"])
        .args(["sh", "-c", "grep CapEff /proc/self/status; chown 1 /tmp"])
        .assert_exit(1);
    let eff = u64::from_str_radix(status_field(&out.stdout, "CapEff"), 16).unwrap();
    assert_eq!(eff & 1, 0, "CAP_CHOWN still there: {}", out.stdout);
    assert_ne!(eff, 0);
    assert!(
        out.stderr.contains("Operation not permitted"),
        "{}",
        out.stderr
    );
});

both_modes!(
    unknown_capability_is_refused_before_anything_is_made,
    |env| {
        env.load(fixtures::busybox());
        let name = env.name("badcap");
        env.berth([
            "create",
            "--name",
            &name,
            "--cap-add",
            "NOT_A_CAP",
            "busybox",
        ])
        .assert_exit(125)
        .stderr_contains(r#"invalid capability "NOT_A_CAP""#);
        env.berth(["container", "inspect", &name]).assert_exit(125);
        env.berth(["run", "--rm", "--cap-drop", "cap_bogus", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("parsing --cap-drop");
    }
);

both_modes!(unshare_needs_sys_admin_and_the_filter_follows_it, |env| {
    // Without CAP_SYS_ADMIN, unshare is refused (by the capability check and by seccomp).
    let out = bb(env)
        .args(["busybox", "unshare", "-U", "true"])
        .assert_exit(1);
    assert!(
        out.stderr.contains("Operation not permitted"),
        "{}",
        out.stderr
    );
    // With it, the default profile opens the SYS_ADMIN group as Docker's does: unshare, mount.
    let out = env
        .berth(["run", "--rm", "--cap-add", "SYS_ADMIN", "busybox"])
        .args([
            "sh",
            "-c",
            "grep -E 'Seccomp|CapEff' /proc/self/status; unshare -m sh -c 'mount -t tmpfs t /tmp && echo mounted'",
        ])
        .assert_success();
    assert_eq!(status_field(&out.stdout, "Seccomp"), "2", "{}", out.stdout);
    let eff = u64::from_str_radix(status_field(&out.stdout, "CapEff"), 16).unwrap();
    assert_ne!(eff & SYS_ADMIN, 0, "{}", out.stdout);
    assert!(out.stdout.contains("mounted"), "{}", out.stdout);
});

both_modes!(caps_are_recorded_inspected_and_shared_with_exec, |env| {
    env.load(fixtures::busybox());
    let name = env.name("caps");
    env.berth(["run", "-d", "--name", &name])
        .args(["--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE"])
        .args(["busybox", "sleep", "1000"])
        .assert_success();
    let out = env
        .berth(["inspect", &name])
        .args([
            "--format",
            "{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}} {{.HostConfig.Privileged}}",
        ])
        .assert_success();
    assert_eq!(out.trimmed(), r#"["NET_BIND_SERVICE"] ["ALL"] false"#);
    let out = env
        .berth(["exec", &name, "cat", "/proc/self/status"])
        .assert_success();
    assert_eq!(status_field(&out.stdout, "CapBnd"), hex(NET_BIND_SERVICE));
    assert_eq!(status_field(&out.stdout, "CapEff"), hex(NET_BIND_SERVICE));
    env.berth(["rm", "-f", &name]).assert_success();
});

both_modes!(seccomp_unconfined_and_no_new_privileges, |env| {
    let out = bb(env)
        .args([
            "--security-opt",
            "seccomp=unconfined",
            "busybox",
            "cat",
            "/proc/self/status",
        ])
        .assert_success();
    assert_eq!(status_field(&out.stdout, "Seccomp"), "0", "{}", out.stdout);
    assert_eq!(
        status_field(&out.stdout, "NoNewPrivs"),
        "0",
        "{}",
        out.stdout
    );
    let out = env
        .berth([
            "run",
            "--rm",
            "--security-opt",
            "no-new-privileges",
            "busybox",
        ])
        .args(["cat", "/proc/self/status"])
        .assert_success();
    assert_eq!(
        status_field(&out.stdout, "NoNewPrivs"),
        "1",
        "{}",
        out.stdout
    );
    assert_eq!(status_field(&out.stdout, "Seccomp"), "2", "{}", out.stdout);
    let out = env
        .berth([
            "run",
            "--rm",
            "--security-opt",
            "no-new-privileges=false",
            "busybox",
        ])
        .args(["cat", "/proc/self/status"])
        .assert_success();
    assert_eq!(
        status_field(&out.stdout, "NoNewPrivs"),
        "0",
        "{}",
        out.stdout
    );
    // inspect shows what was asked.
    let name = env.name("sopt");
    env.berth(["create", "--name", &name])
        .args([
            "--security-opt",
            "no-new-privileges",
            "--security-opt",
            "seccomp=unconfined",
        ])
        .arg("busybox")
        .assert_success();
    env.berth([
        "inspect",
        "--format",
        "{{json .HostConfig.SecurityOpt}}",
        &name,
    ])
    .assert_success()
    .stdout_is("[\"no-new-privileges\",\"seccomp=unconfined\"]\n");
});

/// `stat -c %F` of each path: a masked file is /dev/null bound over it, a character device.
const KINDS: &str = "stat -c %F /proc/timer_list /proc/keys";
const MASKED: &str = "character special file";

both_modes!(mask_and_unmask, |env| {
    let out = bb(env)
        .args(["busybox", "sh", "-c", KINDS])
        .assert_success();
    assert_eq!(out.lines(), [MASKED, MASKED], "masked by default");
    let out = env
        .berth([
            "run",
            "--rm",
            "--security-opt",
            "unmask=/proc/timer_list",
            "busybox",
        ])
        .args(["sh", "-c", KINDS])
        .assert_success();
    let lines = out.lines();
    assert!(
        lines[0].starts_with("regular"),
        "timer_list still masked: {lines:?}"
    );
    assert_eq!(lines[1], MASKED, "keys must stay masked");
    // unmask=ALL: nothing masked, /proc/sys no longer a read-only mount.
    let out = env
        .berth(["run", "--rm", "--security-opt", "unmask=ALL", "busybox"])
        .args([
            "sh",
            "-c",
            &format!("{KINDS}; grep -c ' /proc/sys ' /proc/self/mountinfo"),
        ])
        .run();
    let lines = out.lines();
    assert!(
        lines[0].starts_with("regular") && lines[1].starts_with("regular"),
        "{out:?}"
    );
    assert_eq!(lines[2], "0", "/proc/sys still a read-only mount: {out:?}");
    // Docker's spelling of the same.
    let out = env
        .berth([
            "run",
            "--rm",
            "--security-opt",
            "systempaths=unconfined",
            "busybox",
        ])
        .args(["sh", "-c", KINDS])
        .assert_success();
    assert!(
        out.lines().iter().all(|l| l.starts_with("regular")),
        "{out:?}"
    );
    // Podman's glob: everything below /proc.
    let out = env
        .berth(["run", "--rm", "--security-opt", "unmask=/proc/*", "busybox"])
        .args(["sh", "-c", KINDS])
        .assert_success();
    assert!(
        out.lines().iter().all(|l| l.starts_with("regular")),
        "{out:?}"
    );
    // mask= hides a file and a directory of the image.
    let out = env
        .berth([
            "run",
            "--rm",
            "--security-opt",
            "mask=/etc/hostname:/tmp",
            "busybox",
        ])
        .args([
            "sh",
            "-c",
            "stat -c %F /etc/hostname; wc -c < /etc/hostname; touch /tmp/x",
        ])
        .run();
    assert_eq!(out.code, Some(1), "{out:?}");
    assert_eq!(out.lines(), [MASKED, "0"], "{out:?}");
    assert!(out.stderr.contains("Read-only file system"), "{out:?}");
    env.berth([
        "run",
        "--rm",
        "--security-opt",
        "unmask=/etc",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("not masked or read-only by default");
});

both_modes!(
    labels_and_apparmor_are_accepted_and_the_rest_refused,
    |env| {
        bb(env)
            .args([
                "--security-opt",
                "label=disable",
                "--security-opt",
                "apparmor=unconfined",
            ])
            .args(["busybox", "true"])
            .assert_success();
        if !std::path::Path::new("/sys/fs/selinux/enforce").exists() {
            // A label on a host without SELinux: accepted, saying that it does nothing.
            env.berth(["run", "--rm", "--security-opt", "label=type:spc_t"])
                .args(["busybox", "true"])
                .assert_success()
                .stderr_contains("SELinux is not enabled on this host");
        }
        env.berth([
            "run",
            "--rm",
            "--security-opt",
            "bogus=1",
            "busybox",
            "true",
        ])
        .assert_exit(125)
        .stderr_contains(r#"Error: invalid --security-opt "bogus=1""#);
        env.berth([
            "run",
            "--rm",
            "--security-opt",
            "no-new-privileges=yes",
            "busybox",
            "true",
        ])
        .assert_exit(125)
        .stderr_contains("true or false");
        let info = env
            .berth(["info", "--format", "{{json .Host.Security}}"])
            .assert_success();
        assert!(
            info.stdout.contains("\"SELinuxEnabled\":"),
            "{}",
            info.stdout
        );
        assert!(
            info.stdout.contains("\"AppArmorEnabled\":"),
            "{}",
            info.stdout
        );
        let opts = env
            .berth(["info", "--format", "{{json .SecurityOptions}}"])
            .assert_success();
        let want = if env.rootless() {
            "[\"name=seccomp,profile=builtin\",\"name=rootless\"]\n"
        } else {
            "[\"name=seccomp,profile=builtin\"]\n"
        };
        assert_eq!(opts.stdout, want);
        env.berth(["info"])
            .assert_success()
            .stdout_contains(" Security: seccomp (builtin profile); SELinux ");
    }
);

both_modes!(
    privileged_gets_every_cap_no_filter_and_host_devices,
    |env| {
        let out = bb(env)
        .args(["--privileged", "busybox", "sh", "-c"])
        .arg("cat /proc/self/status; echo ---; ls /dev; echo ---; grep -E ' /sys | /proc/sys | /proc/kcore ' /proc/self/mountinfo")
        .assert_success();
        let mut parts = out.stdout.split("---\n");
        let (status, dev, mounts) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap_or(""),
        );
        // Rootless: every capability, within the user namespace; root: every one berth holds.
        let held = if env.rootless() {
            let last: u32 = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            (1u64 << (last + 1)) - 1
        } else {
            host_bounding()
        };
        for key in ["CapEff", "CapPrm", "CapBnd"] {
            assert_eq!(status_field(status, key), hex(held), "{key}: {status}");
        }
        assert_eq!(status_field(status, "Seccomp"), "0", "{status}");
        // Nothing masked, nothing read-only.
        assert!(!mounts.contains("/proc/kcore"), "{mounts}");
        assert!(!mounts.contains(" /proc/sys "), "{mounts}");
        let sys = mounts
            .lines()
            .find(|l| l.split(' ').nth(4) == Some("/sys"))
            .unwrap_or_else(|| panic!("no /sys: {mounts}"));
        if !env.rootless() {
            assert!(sys.split(' ').nth(5).unwrap().starts_with("rw"), "{sys}");
        }
        // The host's device nodes: fuse (mode 0666 after ci/setup.sh) in both modes, and as root a
        // block device such as loop0.
        let dev: Vec<&str> = dev.lines().collect();
        if std::path::Path::new("/dev/fuse").exists() {
            assert!(dev.contains(&"fuse"), "{dev:?}");
        }
        if !env.rootless() {
            let host_block = std::fs::read_dir("/dev")
                .unwrap()
                .flatten()
                .find(|e| {
                    use std::os::unix::fs::FileTypeExt;
                    e.file_type().is_ok_and(|t| t.is_block_device())
                })
                .map(|e| e.file_name().to_string_lossy().into_owned());
            if let Some(b) = host_block {
                assert!(dev.contains(&b.as_str()), "{b} missing: {dev:?}");
            }
        }
        let name = env.name("priv");
        env.berth([
            "run",
            "-d",
            "--privileged",
            "--name",
            &name,
            "busybox",
            "sleep",
            "1000",
        ])
        .assert_success();
        env.berth(["inspect", "--format", "{{.HostConfig.Privileged}}", &name])
            .assert_success()
            .stdout_is("true\n");
        // exec into it is privileged too.
        let out = env
            .berth(["exec", &name, "cat", "/proc/self/status"])
            .assert_success();
        assert_eq!(status_field(&out.stdout, "Seccomp"), "0", "{}", out.stdout);
        assert_eq!(
            status_field(&out.stdout, "CapEff"),
            hex(held),
            "{}",
            out.stdout
        );
        env.berth(["rm", "-f", &name]).assert_success();
    }
);

/// `ls -l`'s major and minor for a device, as "MAJ, MIN".
fn ls_dev(line: &str) -> String {
    let f: Vec<&str> = line.split_whitespace().collect();
    format!("{} {}", f[4], f[5])
}

both_modes!(device_flag_binds_the_node, |env| {
    require!(Need::UserDevice("/dev/fuse"));
    let out = bb(env)
        .args([
            "--device",
            "/dev/fuse",
            "--device",
            "/dev/null:/dev/mynull:rw",
        ])
        .args([
            "busybox",
            "sh",
            "-c",
            "ls -l /dev/fuse /dev/mynull; echo x > /dev/mynull && echo wrote",
        ])
        .assert_success();
    let lines = out.lines();
    let fuse = lines.iter().find(|l| l.ends_with("/dev/fuse")).unwrap();
    assert!(fuse.starts_with('c'), "{fuse}");
    assert_eq!(ls_dev(fuse), "10, 229");
    let null = lines.iter().find(|l| l.ends_with("/dev/mynull")).unwrap();
    assert!(null.starts_with('c'), "{null}");
    assert_eq!(ls_dev(null), "1, 3");
    assert!(out.stdout.contains("wrote"), "{}", out.stdout);
    // Usable: /dev/fuse opens for reading and writing.
    env.berth(["run", "--rm", "--device", "/dev/fuse", "busybox"])
        .args(["sh", "-c", "exec 3<>/dev/fuse && echo opened"])
        .assert_success()
        .stdout_is("opened\n");
    // A directory: every node under it (Docker's --device /dev/dri).
    env.berth(["run", "--rm", "--device", "/dev/net:/dev/n", "busybox"])
        .args(["sh", "-c", "stat -c '%F %t:%T' /dev/n/tun"])
        .assert_success()
        .stdout_is("character special file a:c8\n");
    // Recorded for inspect (and the device cgroup).
    let name = env.name("dev");
    env.berth([
        "create",
        "--name",
        &name,
        "--device",
        "/dev/null:/dev/mynull:rw",
        "busybox",
    ])
    .assert_success();
    env.berth(["inspect", "--format", "{{json .HostConfig.Devices}}", &name])
        .assert_success()
        .stdout_is("[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"rw\"}]\n");
    // Not a device, missing, bad permissions: refused, with what is wrong.
    env.berth(["run", "--rm", "--device", "/etc/passwd", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("/etc/passwd is not a device");
    env.berth([
        "run",
        "--rm",
        "--device",
        "/dev/nonexistent",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("/dev/nonexistent");
    env.berth([
        "run",
        "--rm",
        "--device",
        "/dev/null:/dev/x:rx",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("letters from rwm");
});

both_modes!(read_only_and_write_only_devices, |env| {
    env.load(fixtures::busybox());
    let script = "stat -c '%F %t:%T' /dev/x; cat /dev/x && echo read-ok; \
                  echo data > /dev/x && echo write-ok; true";
    let run = |perms: &str| {
        env.berth(["run", "--rm", "--device"])
            .arg(format!("/dev/zero:/dev/x:{perms}"))
            .args([
                "busybox",
                "sh",
                "-c",
                &script.replace("cat /dev/x", "head -c 3 /dev/x | wc -c"),
            ])
            .run()
    };
    if env.rootless() {
        // Rootless, berth cannot make a node, and a read-only mount would not stop writes.
        let out = run("r");
        assert_eq!(out.code, Some(125), "{out:?}");
        assert!(
            out.stderr.contains("rootless, berth cannot enforce \"r\""),
            "{out:?}"
        );
        return;
    }
    // Root (and its CAP_DAC_OVERRIDE) in the container may read but not write.
    let out = run("r");
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        out.lines(),
        ["character special file 1:5", "3", "read-ok"],
        "{out:?}"
    );
    assert!(out.stderr.contains("Permission denied"), "{out:?}");
    let out = run("rm");
    assert_eq!(
        out.lines(),
        ["character special file 1:5", "3", "read-ok"],
        "{out:?}"
    );
    // Not even with every capability; and the scratch space it was made in is gone.
    let out = env
        .berth([
            "run",
            "--rm",
            "--cap-add",
            "ALL",
            "--device",
            "/dev/zero:/dev/x:r",
        ])
        .args([
            "busybox",
            "sh",
            "-c",
            "chmod 666 /dev/x; echo data > /dev/x && echo write-ok; ls -a /dev",
        ])
        .run();
    assert!(!out.stdout.contains("write-ok"), "{out:?}");
    assert!(!out.stdout.contains(".berth"), "{out:?}");
    assert!(out.stdout.contains("x\n"), "{out:?}");
    // Write-only cannot be had without a device cgroup.
    let out = run("wm");
    assert_eq!(out.code, Some(125), "{out:?}");
    assert!(out.stderr.contains("write-only"), "{out:?}");
    let out = run("rw");
    assert_eq!(
        out.lines(),
        ["character special file 1:5", "3", "read-ok", "write-ok"],
        "{out:?}"
    );
});

both_modes!(group_add_still_works, |env| {
    bb(env)
        .args([
            "--group-add",
            "nobody",
            "--group-add",
            "1234",
            "--cap-drop",
            "ALL",
            "busybox",
            "id",
            "-G",
        ])
        .assert_success()
        .stdout_is("0 1234 65534\n");
});

/// A profile that allows everything but mkdir (both spellings of the syscall).
const NO_MKDIR: &str = r#"{
    "defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [
        {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"},
        {"names": ["chmod", "fchmodat", "fchmodat2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
         "args": [{"index": 1, "value": 511, "op": "SCMP_CMP_EQ"}]},
        {"names": ["fchmodat", "fchmodat2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
         "args": [{"index": 2, "value": 511, "op": "SCMP_CMP_EQ"}]}
    ]
}"#;

both_modes!(seccomp_profile_file_is_enforced, |env| {
    let profile = env.write("no-mkdir.json", NO_MKDIR);
    let opt = format!("seccomp={}", profile.display());
    let out = bb(env)
        .args(["--security-opt", &opt, "busybox", "sh", "-c"])
        .arg("grep Seccomp: /proc/self/status; touch /tmp/f; chmod 755 /tmp/f && echo chmod-755-ok; chmod 777 /tmp/f || echo chmod-777-denied; mkdir /tmp/d")
        .assert_exit(1);
    assert!(out.stdout.contains("Seccomp:\t2"), "{out:?}");
    assert!(out.stdout.contains("chmod-755-ok"), "{out:?}");
    assert!(out.stdout.contains("chmod-777-denied"), "{out:?}");
    assert!(out.stderr.contains("Permission denied"), "{out:?}");
    assert!(
        out.stderr
            .contains("mkdir: can't create directory '/tmp/d': Operation not permitted"),
        "{out:?}"
    );
    // Kept in the record: later starts do not need the file.
    let name = env.name("prof");
    env.berth([
        "create",
        "--name",
        &name,
        "--security-opt",
        &opt,
        "busybox",
        "mkdir",
        "/tmp/x",
    ])
    .assert_success();
    // exec gets the same filter.
    let d = env.name("profd");
    env.berth([
        "run",
        "-d",
        "--name",
        &d,
        "--security-opt",
        &opt,
        "busybox",
        "sleep",
        "1000",
    ])
    .assert_success();
    env.berth(["exec", &d, "mkdir", "/tmp/y"])
        .assert_exit(1)
        .stderr_contains("Operation not permitted");
    env.berth(["rm", "-f", &d]).assert_success();
    std::fs::remove_file(&profile).unwrap();
    env.berth(["start", "-a", &name])
        .assert_exit(1)
        .stderr_contains("Operation not permitted");
    env.berth([
        "inspect",
        "--format",
        "{{json .HostConfig.SecurityOpt}}",
        &name,
    ])
    .assert_success()
    .stdout_is(&format!("[\"{opt}\"]\n"));
});

both_modes!(docker_format_default_profile_runs_and_confines, |env| {
    // Podman ships Docker's default profile in the same JSON format.
    let file = "/usr/share/containers/seccomp.json";
    if !std::path::Path::new(file).exists() {
        assert!(
            !crate::support::require_strict(),
            "needs {file} (podman's containers-common; BERTH_TEST_REQUIRE=1)"
        );
        eprintln!("skipped: needs {file} (podman's containers-common)");
        return;
    }
    let opt = format!("seccomp={file}");
    // Its allowlist covers a shell; sethostname is in its CAP_SYS_ADMIN group.
    let out = bb(env)
        .args(["--security-opt", &opt, "busybox", "sh", "-c"])
        .arg("grep Seccomp: /proc/self/status; hostname renamed")
        .assert_exit(1);
    assert!(out.stdout.contains("Seccomp:\t2"), "{out:?}");
    assert!(out.stderr.contains("Operation not permitted"), "{out:?}");
    // Its capability-conditional rules follow --cap-add.
    env.berth([
        "run",
        "--rm",
        "--cap-add",
        "SYS_ADMIN",
        "--security-opt",
        &opt,
        "busybox",
    ])
    .args(["sh", "-c", "hostname renamed && hostname"])
    .assert_success()
    .stdout_is("renamed\n");
});

both_modes!(seccomp_profile_kill_actions, |env| {
    // KILL_PROCESS: the container dies of SIGSYS (128 + 31) at its first mkdir.
    let kill = env.write(
        "kill-mkdir.json",
        r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}"#,
    );
    bb(env)
        .arg("--security-opt")
        .arg(format!("seccomp={}", kill.display()))
        .args([
            "busybox",
            "sh",
            "-c",
            "mkdir /tmp/d; echo $?; test -d /tmp/d && echo made",
        ])
        .assert_exit(1)
        .stdout_is(&format!("{}\n", 128 + 31))
        .stderr_contains("Bad system call");
    bb(env)
        .arg("--security-opt")
        .arg(format!("seccomp={}", kill.display()))
        .args(["busybox", "mkdir", "/tmp/d"])
        .assert_exit(128 + 31);
    // ERRNO with an errnoRet of its own: ENOSYS here.
    let enosys = env.write(
        "enosys-mkdir.json",
        r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}"#,
    );
    env.berth(["run", "--rm", "--security-opt"])
        .arg(format!("seccomp={}", enosys.display()))
        .args(["busybox", "mkdir", "/tmp/d"])
        .assert_exit(1)
        .stderr_contains("Function not implemented");
});

both_modes!(bad_seccomp_profiles_are_refused, |env| {
    env.load(fixtures::busybox());
    for (name, text, why) in [
        ("broken.json", "{\"defaultAction\": ", "parsing the JSON"),
        (
            "action.json",
            r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_MAYBE"}]}"#,
            "syscalls[0]: unknown action \"SCMP_ACT_MAYBE\"",
        ),
    ] {
        let p = env.write(name, text);
        let before = env.berth(["ps", "-aq"]).assert_success().stdout;
        let out = env
            .berth(["run", "--rm", "--security-opt"])
            .arg(format!("seccomp={}", p.display()))
            .args(["busybox", "true"])
            .assert_exit(125);
        assert!(
            out.stderr.starts_with("Error: invalid --security-opt"),
            "{out:?}"
        );
        assert!(out.stderr.contains(why), "{out:?}");
        assert_eq!(env.berth(["ps", "-aq"]).assert_success().stdout, before);
    }
    env.berth([
        "run",
        "--rm",
        "--security-opt",
        "seccomp=/nonexistent.json",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("reading seccomp profile /nonexistent.json");
});

both_modes!(with_no_new_privileges_the_profile_goes_on_last, |env| {
    // A profile that forbids what berth's own setup needs (capset): with no_new_privs the
    // filter is installed right before exec, after the setup; without it, it cannot be.
    let profile = env.write(
        "no-capset.json",
        r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["capset"], "action": "SCMP_ACT_ERRNO"}]}"#,
    );
    let opt = format!("seccomp={}", profile.display());
    let out = bb(env)
        .args([
            "--security-opt",
            &opt,
            "--security-opt",
            "no-new-privileges",
        ])
        .args(["busybox", "cat", "/proc/self/status"])
        .assert_success();
    assert_eq!(status_field(&out.stdout, "Seccomp"), "2");
    assert_eq!(status_field(&out.stdout, "NoNewPrivs"), "1");
    env.berth(["run", "--rm", "--security-opt", &opt, "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("capset failure");
});

both_modes!(nodes_made_with_cap_mknod_cannot_be_used, |env| {
    // Docker's default device cgroup lets a container with CAP_MKNOD make nodes but open
    // none but its defaults; berth gets there without one: /dev and volumes are nodev.
    let vol = crate::run::host_dir(env, "vol");
    let v = format!("{}:/vol", vol.display());
    let script = "mknod /dev/mynull c 1 3 && mknod /vol/mynull c 1 3 && echo made; \
                  [ -c /dev/mynull ] && echo x > /dev/mynull && echo dev-usable; \
                  [ -c /vol/mynull ] && echo x > /vol/mynull && echo vol-usable; \
                  echo x > /dev/null && echo null-usable";
    let out = bb(env)
        .args([
            "--cap-add",
            "MKNOD",
            "-v",
            &v,
            "busybox",
            "sh",
            "-c",
            script,
        ])
        .run();
    assert!(!out.stdout.contains("dev-usable"), "{out:?}");
    assert!(!out.stdout.contains("vol-usable"), "{out:?}");
    assert!(out.stdout.contains("null-usable"), "{out:?}");
    if env.rootless() {
        // The kernel refuses mknod in a user namespace anyway.
        assert!(!out.stdout.contains("made"), "{out:?}");
    } else {
        assert!(out.stdout.contains("made"), "{out:?}");
        assert!(out.stderr.contains("Permission denied"), "{out:?}");
        // A file bind over a file (the usual way to hide one) still works.
        env.berth(["run", "--rm", "-v", "/dev/null:/etc/passwd-", "busybox"])
            .args(["sh", "-c", "echo x > /etc/passwd- && wc -c < /etc/passwd-"])
            .assert_success()
            .stdout_is("0\n");
        // --privileged: nodes work wherever they are made.
        let out = env
            .berth([
                "run",
                "--rm",
                "--privileged",
                "-v",
                &v,
                "busybox",
                "sh",
                "-c",
            ])
            .arg("mknod /dev/mynull2 c 1 3 && echo x > /dev/mynull2 && echo dev-usable")
            .assert_success();
        assert!(out.stdout.contains("dev-usable"), "{out:?}");
    }
});

both_modes!(a_tmpfs_with_dev_needs_privileged_as_root, |env| {
    env.load(fixtures::busybox());
    let show = ["busybox", "sh", "-c", "grep ' /t ' /proc/mounts"];
    if env.rootless() {
        // The kernel refuses mknod in a user namespace: the option is harmless there.
        let out = bb(env)
            .args(["--tmpfs", "/t:dev"])
            .args(show)
            .assert_success();
        assert!(!out.stdout.contains("nodev"), "{out:?}");
        return;
    }
    // As root a dev tmpfs is a place where a node made with CAP_MKNOD could be opened (the
    // nodev rule above): refused at create, before anything is written.
    for verb in ["create", "run"] {
        env.berth([
            verb,
            "--tmpfs",
            "/t:dev",
            "--cap-add",
            "MKNOD",
            "busybox",
            "true",
        ])
        .assert_exit(125)
        .stderr_contains("tmpfs at /t: the dev option needs --privileged");
    }
    assert!(crate::run::store_entries(env, "containers").is_empty());
    let out = bb(env)
        .args(["--privileged", "--tmpfs", "/t:dev"])
        .args(show)
        .assert_success();
    assert!(!out.stdout.contains("nodev"), "{out:?}");
    // Without dev, a tmpfs is nodev as ever.
    bb(env)
        .args(["--tmpfs", "/t"])
        .args(show)
        .assert_success()
        .stdout_contains("nodev");
});
