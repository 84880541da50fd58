//! `berth events`: the daemonless event log, its filters, time window, formats and follow mode.

use std::time::{Duration, Instant};

use crate::support::{TestEnv, fixtures};

/// The actions of every recorded event that `args` selects, one per line, with `--stream=false`.
fn actions(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let out = env
        .berth([
            "events",
            "--stream=false",
            "--format",
            "{{.Action}} {{.Actor.Attributes.name}}",
        ])
        .args(args)
        .assert_success();
    out.stdout.lines().map(str::to_string).collect()
}

both_modes!(a_run_records_create_start_die_remove, |env| {
    env.load(fixtures::busybox());
    let name = env.name("ev");
    env.berth([
        "run", "--rm", "--name", &name, "busybox", "sh", "-c", "exit 3",
    ])
    .assert_exit(3);
    assert_eq!(
        actions(env, &["--filter", &format!("container={name}")]),
        [
            format!("create {name}"),
            format!("start {name}"),
            format!("die {name}"),
            format!("remove {name}")
        ]
    );
    // Docker's default line, the exit code among the attributes.
    let out = env
        .berth(["events", "--stream=false", "--filter", "event=die"])
        .assert_success();
    let line = out.stdout.lines().next().expect("a die event");
    let fields: Vec<&str> = line.splitn(5, ' ').collect();
    assert!(
        chrono::DateTime::parse_from_rfc3339(fields[0]).is_ok(),
        "{line}"
    );
    assert_eq!(fields[1..3], ["container", "die"], "{line}");
    assert_eq!(fields[3].len(), 64, "{line}");
    assert_eq!(
        fields[4],
        format!("(exitCode=3, image=busybox, name={name})"),
        "{line}"
    );
    // Docker's name for a removal selects it too.
    assert_eq!(
        actions(env, &["--filter", "event=destroy"]),
        [format!("remove {name}")]
    );
});

both_modes!(filters_and_time_window, |env| {
    env.load(fixtures::busybox());
    let (a, b) = (env.name("a"), env.name("b"));
    env.berth(["create", "--name", &a, "busybox", "true"])
        .assert_success();
    std::thread::sleep(Duration::from_millis(50));
    let between = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    std::thread::sleep(Duration::from_millis(50));
    env.berth(["create", "--name", &b, "busybox", "true"])
        .assert_success();
    env.berth(["rm", &a, &b]).assert_success();
    assert_eq!(
        actions(env, &["--filter", "event=create"]),
        [format!("create {a}"), format!("create {b}")]
    );
    assert_eq!(
        actions(
            env,
            &[
                "--filter",
                &format!("container={a}"),
                "--filter",
                &format!("container={b}"),
                "--filter",
                "event=remove"
            ]
        ),
        [format!("remove {a}"), format!("remove {b}")]
    );
    assert_eq!(
        actions(env, &["--since", &between, "--filter", "event=create"]),
        [format!("create {b}")]
    );
    assert_eq!(
        actions(env, &["--until", &between]),
        [format!("create {a}")]
    );
    assert_eq!(
        actions(
            env,
            &[
                "--since",
                "1m",
                "--until",
                "0s",
                "--filter",
                "image=busybox",
                "--filter",
                "type=container",
                "--filter",
                "event=create"
            ]
        ),
        [format!("create {a}"), format!("create {b}")]
    );
    // With --until and no --stream=false, events stops by itself at that time.
    let out = env
        .berth([
            "events",
            "--since",
            "1m",
            "--until",
            "0s",
            "--filter",
            "event=create",
            "--format",
            "json",
        ])
        .timeout(Duration::from_secs(20))
        .assert_success();
    let objs: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objs.len(), 2, "{}", out.stdout);
    assert_eq!(objs[0]["Status"], "create");
    assert_eq!(objs[0]["Actor"]["Attributes"]["name"], a.as_str());
});

both_modes!(bad_filters_and_times_exit_125, |env| {
    for args in [
        &["--filter", "colour=red"][..],
        &["--filter", "container"],
        &["--since", "yesterday"],
        &["--since", "0s", "--until", "1m"],
        &["--format", "{{.Nope"],
    ] {
        env.berth(["events", "--stream=false"])
            .args(args)
            .assert_exit(125)
            .stderr_contains("Error: ");
    }
});

both_modes!(follow_sees_new_events, |env| {
    env.load(fixtures::busybox());
    let name = env.name("fol");
    let out = env.path("events.out");
    let mut follower = env
        .berth([
            "events",
            "--filter",
            &format!("container={name}"),
            "--format",
            "{{.Status}}",
        ])
        .spawn_with_stdout(&out);
    // Give the follower time to start watching; events before that are in the log anyway.
    std::thread::sleep(Duration::from_millis(300));
    env.berth(["run", "--rm", "--name", &name, "busybox", "true"])
        .assert_success();
    let start = Instant::now();
    let mut seen = String::new();
    while start.elapsed() < Duration::from_secs(20) {
        seen = std::fs::read_to_string(&out).unwrap_or_default();
        if seen.lines().count() >= 4 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let still_running = follower.try_wait().expect("polling the follower").is_none();
    let _ = follower.kill();
    let _ = follower.wait();
    assert!(still_running, "events exited while following");
    assert_eq!(seen, "create\nstart\ndie\nremove\n");
});

both_modes!(lifecycle_verbs_are_recorded, |env| {
    env.load(fixtures::busybox());
    let name = env.name("lc");
    env.berth(["run", "-d", "--name", &name, "--restart", "on-failure:2"])
        .args(["busybox", "sleep", "1000"])
        .assert_success();
    env.berth(["kill", "-s", "HUP", &name]).assert_success();
    env.berth(["restart", "-t", "0", &name]).assert_success();
    env.berth(["stop", "-t", "0", &name]).assert_success();
    let out = env
        .berth(["inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.State.Status}}", &name])
        .assert_success();
    assert_eq!(out.stdout, "on-failure:2 exited\n");
    let seen = actions(env, &["--filter", &format!("container={name}")]);
    let seen: Vec<&str> = seen.iter().map(|l| l.split(' ').next().unwrap()).collect();
    // The die of each run is recorded by its monitor, possibly just after the verb's own event.
    for want in ["create", "start", "kill", "restart", "stop"] {
        assert!(seen.contains(&want), "no {want} event in {seen:?}");
    }
    assert_eq!(
        seen.iter().filter(|a| **a == "start").count(),
        2,
        "{seen:?}"
    );
    env.berth(["rm", &name]).assert_success();
});
