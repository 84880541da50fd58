//! `berth ps` (and `container ls`/`list`/`ps`): Docker's table, flags, filters and `--format`,
//! and the state it shows when the recorded process is gone (SECURITY.md I12, I13).

use std::path::Path;
use std::time::Duration;

use crate::container::Guard;
use crate::run::{host_dir, vol, wait_for};
use crate::support::{TestEnv, fixtures, tabwriter};

const HEADER: [&str; 7] = [
    "CONTAINER ID",
    "IMAGE",
    "COMMAND",
    "CREATED",
    "STATUS",
    "PORTS",
    "NAMES",
];

/// Creates a container that never ran and returns its full id.
fn create(env: &TestEnv, name: &str, cmd: &[&str]) -> String {
    env.berth(["create", "--name", name, "busybox"])
        .args(cmd)
        .assert_success()
        .trimmed()
        .to_string()
}

/// Runs a container to its end (keeping it) and returns its full id.
fn run(env: &TestEnv, name: &str, cmd: &[&str], code: i32) -> String {
    let cid = env.path(&format!("{name}.cid"));
    env.berth(["run", "--name", name, "--cidfile"])
        .arg(&cid)
        .arg("busybox")
        .args(cmd)
        .assert_exit(code);
    std::fs::read_to_string(&cid).expect("reading the cidfile")
}

/// A table's cells, cut at the columns its header starts; checks that the header is
/// `header` and that the text is exactly what Go's tabwriter makes of those cells.
fn cells(stdout: &str, header: &[&str]) -> Vec<Vec<String>> {
    let mut lines = stdout.lines();
    let head = lines.next().expect("a header line");
    let mut starts = Vec::new();
    let mut from = 0;
    for h in header {
        let at = from
            + head[from..]
                .find(h)
                .unwrap_or_else(|| panic!("{h} in {head:?}"));
        starts.push(head[..at].chars().count());
        from = at + h.len();
    }
    let rows: Vec<Vec<String>> = std::iter::once(head)
        .chain(lines)
        .map(|l| {
            let chars: Vec<char> = l.chars().collect();
            (0..starts.len())
                .map(|i| {
                    let end = starts.get(i + 1).copied().unwrap_or(chars.len());
                    let cell: String = chars[starts[i].min(chars.len())..end.min(chars.len())]
                        .iter()
                        .collect();
                    cell.trim_end().to_string()
                })
                .collect()
        })
        .collect();
    assert_eq!(rows[0], header, "header of\n{stdout}");
    assert_eq!(tabwriter(&rows), stdout, "alignment");
    rows[1..].to_vec()
}

/// `Less than a second ago`, `1 second ago`, `12 seconds ago`, `About a minute ago`.
fn is_recent(s: &str, suffix: &str) -> bool {
    let Some(d) = s.strip_suffix(suffix) else {
        return false;
    };
    d == "Less than a second"
        || d == "1 second"
        || d == "About a minute"
        || d.strip_suffix(" seconds")
            .is_some_and(|n| n.parse::<u32>().is_ok())
}

/// `--format` output as lines.
fn format_lines(env: &TestEnv, args: &[&str]) -> Vec<String> {
    env.berth(["ps"])
        .args(args)
        .assert_success()
        .lines()
        .iter()
        .map(|l| l.to_string())
        .collect()
}

/// Writes a container's state.json as a crashed berth or a reboot would leave it.
fn forge_state(env: &TestEnv, id: &str, state: &str) {
    let p = env.root.join("containers").join(id).join("state.json");
    std::fs::write(&p, state).expect("writing state.json");
    if let Some(u) = &env.user {
        std::os::unix::fs::chown(&p, Some(u.uid), Some(u.gid)).expect("chown state.json");
    }
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .unwrap()
        .trim()
        .to_string()
}

both_modes!(running_by_default_all_with_a, |env| {
    env.load(fixtures::busybox());
    let (old, done, live) = (env.name("old"), env.name("done"), env.name("live"));
    let old_id = create(env, &old, &["true"]);
    let done_id = run(env, &done, &["sh", "-c", "exit 3"], 3);
    // Nothing runs yet: the header alone.
    env.berth(["ps"])
        .assert_success()
        .stdout_is(&tabwriter(&[HEADER.map(String::from).to_vec()]));

    let sync = host_dir(env, "sync");
    let cid = env.path("live.cid");
    let mut guard = Guard(
        env.berth(["run", "--name", &live, "--cidfile"])
            .arg(&cid)
            .args(["-v", &vol(&sync, "/sync", None)])
            .args(["busybox", "sh", "-c", "touch /sync/started; sleep 30"])
            .spawn(),
    );
    assert!(
        wait_for(&sync.join("started"), 60, || true),
        "the container did not start"
    );
    let live_id = std::fs::read_to_string(&cid).unwrap();

    // The command may touch its file a moment before berth has recorded it running.
    let start = std::time::Instant::now();
    let (out, rows) = loop {
        let out = env.berth(["ps"]).assert_success().stderr_empty();
        let rows = cells(&out.stdout, &HEADER);
        if !rows.is_empty() || start.elapsed() > std::time::Duration::from_secs(10) {
            break (out, rows);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(rows.len(), 1, "only the running one:\n{}", out.stdout);
    let r = &rows[0];
    assert_eq!(r[0], live_id[..12]);
    assert_eq!(r[1], "busybox");
    assert_eq!(r[2], "\"sh -c 'touch /sync/…\"");
    assert!(is_recent(&r[3], " ago"), "CREATED {:?}", r[3]);
    assert!(
        r[4].strip_prefix("Up ")
            .is_some_and(|d| is_recent(&format!("{d} ago"), " ago")),
        "STATUS {:?}",
        r[4]
    );
    assert_eq!(r[5], "");
    assert_eq!(r[6], live);

    // -a: every state, newest first.
    let out = env.berth(["ps", "-a"]).assert_success();
    let rows = cells(&out.stdout, &HEADER);
    let col = |i: usize| rows.iter().map(|r| r[i].clone()).collect::<Vec<_>>();
    assert_eq!(col(6), [live.as_str(), done.as_str(), old.as_str()]);
    assert_eq!(col(0), [&live_id[..12], &done_id[..12], &old_id[..12]]);
    assert_eq!(col(2)[1..], ["\"sh -c 'exit 3'\"", "\"true\""]);
    assert!(
        rows[1][4].starts_with("Exited (3) ")
            && is_recent(&rows[1][4]["Exited (3) ".len()..], " ago"),
        "{:?}",
        rows[1][4]
    );
    assert_eq!(rows[2][4], "Created");

    // -q, --no-trunc.
    env.berth(["ps", "-q"])
        .assert_success()
        .stdout_is(&format!("{}\n", &live_id[..12]));
    env.berth(["ps", "-aq", "--no-trunc"])
        .assert_success()
        .stdout_is(&format!("{live_id}\n{done_id}\n{old_id}\n"));
    let out = env.berth(["ps", "--no-trunc"]).assert_success();
    let rows = cells(&out.stdout, &HEADER);
    assert_eq!(rows[0][0], live_id);
    assert_eq!(rows[0][2], "\"sh -c 'touch /sync/started; sleep 30'\"");

    // -n and -l take the newest in any state.
    let names = |args: &[&str]| {
        let mut a = vec!["--format", "{{.Names}}"];
        a.extend_from_slice(args);
        format_lines(env, &a)
    };
    assert_eq!(names(&["-n", "2"]), [live.as_str(), done.as_str()]);
    assert_eq!(
        names(&["-n", "9"]),
        [live.as_str(), done.as_str(), old.as_str()]
    );
    assert_eq!(names(&["-l"]), [live.as_str()]);
    assert_eq!(
        names(&["-n", "0"]),
        [live.as_str()],
        "-n 0 is no limit, running only"
    );

    // The container noun's ls, with its aliases (compared without the relative times, which
    // may tick between two runs).
    let fixed = "{{.ID}} {{.Image}} {{.Command}} {{.State}} {{.Names}}";
    let all = env
        .berth(["ps", "-a", "--format", fixed])
        .assert_success()
        .stdout;
    assert_eq!(all.lines().count(), 3, "{all}");
    for verb in ["ls", "list", "ps"] {
        env.berth(["container", verb, "-a", "--format", fixed])
            .assert_success()
            .stdout_is(&all);
    }

    // Done: rm -f kills it, and its run ends with 128 + SIGKILL.
    env.berth(["rm", "-f", &live])
        .timeout(Duration::from_secs(20))
        .assert_success();
    let status = guard.0.wait().expect("waiting for run");
    assert_eq!(status.code(), Some(137));
    assert_eq!(names(&[]), Vec::<String>::new());
});

both_modes!(filters, |env| {
    env.load(fixtures::busybox());
    env.load(fixtures::second());
    let (a, b, c) = (env.name("fa"), env.name("fb"), env.name("fc"));
    let a_id = create(env, &a, &["true"]);
    let b_id = run(env, &b, &["sh", "-c", "exit 3"], 3);
    let c_id = run(env, &c, &["true"], 0);
    let q = |filters: &[&str]| {
        let mut args = vec!["ps", "-a", "--format", "{{.Names}}"];
        for f in filters {
            args.extend(["--filter", f]);
        }
        env.berth(args)
            .assert_success()
            .lines()
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
    };
    let none: Vec<String> = Vec::new();
    assert_eq!(q(&[]), [c.as_str(), b.as_str(), a.as_str()]);

    // id: an unambiguous prefix, or the full id.
    assert_eq!(q(&[&format!("id={}", &b_id[..12])]), [b.as_str()]);
    assert_eq!(q(&[&format!("id={a_id}")]), [a.as_str()]);
    assert_eq!(q(&["id=zzzz"]), none);

    // name: a substring, a regex, with or without Docker's slash; several are alternatives.
    assert_eq!(q(&[&format!("name={a}")]), [a.as_str()]);
    assert_eq!(q(&["name=^fb-"]), [b.as_str()]);
    assert_eq!(q(&[&format!("name=^/?{b}$")]), [b.as_str()]);
    assert_eq!(
        q(&[&format!("name={a}"), &format!("name={c}")]),
        [c.as_str(), a.as_str()]
    );
    assert_eq!(q(&["name=^nomatch$"]), none);

    // label: containers have no labels yet.
    assert_eq!(q(&["label=org.example.fixture"]), none);

    // status, and status implies -a.
    assert_eq!(q(&["status=created"]), [a.as_str()]);
    assert_eq!(q(&["status=exited"]), [c.as_str(), b.as_str()]);
    assert_eq!(q(&["status=running"]), none);
    assert_eq!(q(&["status=paused"]), none);
    assert_eq!(
        q(&["status=created", "status=exited"]),
        [c.as_str(), b.as_str(), a.as_str()]
    );
    assert_eq!(
        format_lines(
            env,
            &["--filter", "status=exited", "--format", "{{.Names}}"]
        ),
        [c.as_str(), b.as_str()]
    );
    env.berth(["ps", "--filter", "status=up"])
        .assert_error()
        .stderr_contains("invalid filter 'status=up'");

    // exited: only containers that ran.
    assert_eq!(q(&["exited=3"]), [b.as_str()]);
    assert_eq!(q(&["exited=0"]), [c.as_str()]);
    assert_eq!(q(&["exited=0", "exited=3"]), [c.as_str(), b.as_str()]);
    env.berth(["ps", "--filter", "exited=x"])
        .assert_error()
        .stderr_contains("invalid filter 'exited=x'");

    // ancestor: by name, id or id prefix; another image matches none of them.
    let bb = fixtures::busybox();
    for name in ["busybox", "busybox:latest", bb.short_id(), &bb.id] {
        assert_eq!(
            q(&[&format!("ancestor={name}")]),
            [c.as_str(), b.as_str(), a.as_str()],
            "{name}"
        );
    }
    assert_eq!(q(&["ancestor=second"]), none);
    let out = env
        .berth(["ps", "-a", "--filter", "ancestor=nosuchimage"])
        .assert_success();
    assert_eq!(out.lines().len(), 1, "header only");
    assert!(out.stderr.contains("nosuchimage"), "{}", out.stderr);

    // before and since: by name or id, the named container excluded.
    assert_eq!(q(&[&format!("before={c}")]), [b.as_str(), a.as_str()]);
    assert_eq!(q(&[&format!("since={a}")]), [c.as_str(), b.as_str()]);
    assert_eq!(
        q(&[&format!("since={}", &a_id[..12]), &format!("before={c_id}")]),
        [b.as_str()]
    );
    env.berth(["ps", "--filter", "before=nosuch"])
        .assert_error()
        .stderr_contains("no such container: nosuch");

    // Keys are ANDed.
    assert_eq!(q(&["status=exited", "exited=3"]), [b.as_str()]);
    assert_eq!(q(&["status=created", "exited=3"]), none);

    for (bad, says) in [
        ("color=red", "invalid filter 'color'"),
        ("nokey", "expected name=value"),
        ("network=host", "not supported"),
    ] {
        env.berth(["ps", "--filter", bad])
            .assert_error()
            .stderr_contains(says);
    }
});

both_modes!(format_fields_and_json, |env| {
    env.load(fixtures::busybox());
    let (a, b) = (env.name("ja"), env.name("jb"));
    let data = host_dir(env, "data");
    let a_id = env
        .berth([
            "create",
            "--name",
            &a,
            "-v",
            &vol(&data, "/data", Some("ro")),
        ])
        .args(["busybox", "echo", "two words"])
        .assert_success()
        .trimmed()
        .to_string();
    let b_id = run(env, &b, &["sh", "-c", "exit 7"], 7);

    assert_eq!(
        format_lines(
            env,
            &[
                "-a",
                "--format",
                "{{.ID}} {{.Names}} {{.Image}} {{.State}} {{.Networks}}"
            ]
        ),
        [
            format!("{} {b} busybox exited none", &b_id[..12]),
            format!("{} {a} busybox created none", &a_id[..12]),
        ]
    );
    assert_eq!(
        format_lines(
            env,
            &["-a", "--no-trunc", "--format", "{{.Command}}|{{.Mounts}}"]
        ),
        [
            "\"sh -c 'exit 7'\"|".to_string(),
            format!("\"echo 'two words'\"|{}", data.display()),
        ]
    );
    // A table format: Docker's headers, aligned.
    let out = env
        .berth([
            "ps",
            "-a",
            "--format",
            "table {{.Names}}\\t{{.State}}\\t{{.Ports}}",
        ])
        .assert_success();
    assert_eq!(
        out.stdout,
        tabwriter(&[
            vec!["NAMES".into(), "STATE".into(), "PORTS".into()],
            vec![b.clone(), "exited".into(), String::new()],
            vec![a.clone(), "created".into(), String::new()],
        ])
    );
    // -q wins over --format, with a warning.
    env.berth(["ps", "-aq", "--format", "{{.Names}}"])
        .assert_success()
        .stdout_is(&format!("{}\n{}\n", &b_id[..12], &a_id[..12]))
        .stderr_contains("ignoring custom format");
    // A template that does not work fails even when nothing is listed.
    env.berth(["ps", "--format", "{{.Nope}}"])
        .assert_error()
        .stderr_contains("Nope");
    env.berth(["ps", "--format", "{{.Names"])
        .assert_error()
        .stderr_contains("template");

    // {{json .}}: one object per line, Docker's keys.
    for format in ["{{json .}}", "json"] {
        let out = env.berth(["ps", "-a", "--format", format]).assert_success();
        let objs: Vec<serde_json::Value> = out
            .lines()
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
            .collect();
        assert_eq!(objs.len(), 2, "{}", out.stdout);
        let keys: Vec<&String> = objs[0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "Command",
                "CreatedAt",
                "HealthStatus",
                "ID",
                "IPAddresses",
                "Image",
                "Labels",
                "LocalVolumes",
                "Mounts",
                "Names",
                "Networks",
                "Platform",
                "Ports",
                "RunningFor",
                "Size",
                "State",
                "Status"
            ]
        );
        let (jb, ja) = (&objs[0], &objs[1]);
        assert_eq!(jb["ID"], b_id[..12]);
        assert_eq!(jb["Names"], b.as_str());
        assert_eq!(jb["Command"], "\"sh -c 'exit 7'\"");
        assert_eq!(jb["State"], "exited");
        assert!(jb["Status"].as_str().unwrap().starts_with("Exited (7) "));
        assert_eq!(ja["Status"], "Created");
        assert_eq!(ja["Mounts"], format!("{}", ellipsis15(&data)));
        assert_eq!(ja["IPAddresses"], serde_json::json!([]));
        assert!(ja["Platform"].is_null());
        let created = ja["CreatedAt"].as_str().unwrap();
        assert!(
            created.len() == "2024-01-01 00:00:00 +0000 UTC".len()
                && created.ends_with(" +0000 UTC"),
            "{created:?}"
        );
        // As in Docker, `{{json .}}` measures sizes and the word `json` does not.
        if format == "json" {
            assert_eq!(ja["Size"], "0B");
        } else {
            assert!(
                ja["Size"].as_str().unwrap().starts_with("0B (virtual "),
                "{ja}"
            );
        }
    }
});

/// docker/cli's 15-column ellipsis of a mount's source.
fn ellipsis15(p: &Path) -> String {
    let s = p.display().to_string();
    if s.chars().count() <= 15 {
        s
    } else {
        format!("{}…", s.chars().take(14).collect::<String>())
    }
}

both_modes!(size_counts_what_the_container_wrote, |env| {
    env.load(fixtures::busybox());
    let w = env.name("w");
    run(
        env,
        &w,
        &[
            "sh",
            "-c",
            "printf hello > /f; mkdir /d; printf 1234567 > /d/g",
        ],
        0,
    );
    let out = env.berth(["ps", "-as"]).assert_success();
    let mut header = HEADER.to_vec();
    header.push("SIZE");
    let rows = cells(&out.stdout, &header);
    assert!(rows[0][7].starts_with("12B (virtual "), "{:?}", rows[0][7]);
    // A template that shows .Size measures it without -s.
    let size = format_lines(env, &["-a", "--format", "{{.Size}}"]);
    assert_eq!(size, [rows[0][7].clone()]);
    assert_eq!(
        format_lines(env, &["-a", "--format", "{{.Names}}"]),
        [w.as_str()]
    );
});

both_modes!(a_vanished_process_shows_as_exited, |env| {
    env.load(fixtures::busybox());
    let (crashed, rebooted, alive) = (env.name("crash"), env.name("reboot"), env.name("ok"));
    let crashed_id = create(env, &crashed, &["sleep", "30"]);
    let rebooted_id = create(env, &rebooted, &["sleep", "30"]);
    create(env, &alive, &["true"]);
    // A process that has exited: its pid names nothing (or, reused, another start time).
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let now = chrono::Utc::now().to_rfc3339();
    forge_state(
        env,
        &crashed_id,
        &serde_json::json!({
            "status": "running", "pid": pid, "pid_start": 1, "boot_id": boot_id(),
            "exit_code": 0, "started_at": now,
        })
        .to_string(),
    );
    // Recorded running in another boot: whatever holds that pid now is not it.
    forge_state(
        env,
        &rebooted_id,
        &serde_json::json!({
            "status": "running", "pid": std::process::id(), "pid_start": 1,
            "boot_id": "00000000-0000-0000-0000-000000000000", "exit_code": 0,
            "started_at": "2024-01-01T00:00:00Z",
        })
        .to_string(),
    );
    // Neither is running.
    assert_eq!(
        format_lines(env, &["--format", "{{.Names}}"]),
        Vec::<String>::new()
    );
    let lines = format_lines(
        env,
        &["-a", "--format", "{{.Names}}|{{.State}}|{{.Status}}"],
    );
    assert_eq!(lines.len(), 3, "{lines:?}");
    let find = |n: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{n}|")))
            .unwrap_or_else(|| panic!("{n} in {lines:?}"))
            .to_string()
    };
    let c = find(&crashed);
    assert!(
        c.strip_prefix("exited|Exited (255) ")
            .is_some_and(|d| is_recent(d, " ago")),
        "{c:?}"
    );
    // Ended by the reboot at the latest: shown as ended at this boot's start.
    let r = find(&rebooted);
    assert!(r.starts_with("exited|Exited (255) "), "{r:?}");
    assert_eq!(find(&alive), "created|Created");
    assert_eq!(
        format_lines(
            env,
            &["-a", "--filter", "exited=255", "--format", "{{.Names}}"]
        )
        .len(),
        2
    );
    // ps changed nothing: the state still says running, for start or rm to act on.
    let state = std::fs::read_to_string(
        env.root
            .join("containers")
            .join(&crashed_id)
            .join("state.json"),
    )
    .unwrap();
    assert!(state.contains("\"running\""), "{state}");
    env.berth(["rm", &crashed, &rebooted]).assert_success();
});

both_modes!(a_broken_record_is_skipped_with_a_warning, |env| {
    env.load(fixtures::busybox());
    let (good, bad) = (env.name("good"), env.name("bad"));
    create(env, &good, &["true"]);
    let bad_id = create(env, &bad, &["true"]);
    // Cut short: what a writer that skips the rename would leave.
    forge_state(env, &bad_id, "{\"status\":\"runn");
    let out = env
        .berth(["ps", "-a", "--format", "{{.Names}}"])
        .assert_success()
        .stdout_is(&format!("{good}\n"));
    assert!(
        out.stderr.contains(&format!(
            "Warning: container {} is broken and not listed",
            &bad_id[..12]
        )),
        "{}",
        out.stderr
    );
    // It can still be removed.
    env.berth(["rm", "-f", &bad]).assert_success();
    env.berth(["ps", "-a", "--format", "{{.Names}}"])
        .assert_success()
        .stdout_is(&format!("{good}\n"))
        .stderr_empty();
});
