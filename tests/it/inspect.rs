//! `inspect` of containers (and `inspect` finding containers and images), labels, `rename`,
//! `container prune`, `container exists` and `port`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{TestEnv, fixtures};

/// The one object `inspect ARGS` prints.
fn inspect(env: &TestEnv, args: &[&str]) -> Value {
    let out = env.berth(["inspect"]).args(args).assert_success();
    let v: Value = serde_json::from_str(&out.stdout).expect("inspect prints JSON");
    let list = v.as_array().expect("a JSON array");
    assert_eq!(list.len(), 1, "{}", out.stdout);
    list[0].clone()
}

/// Waits until `inspect` says the container's status is `status`.
fn wait_status(env: &TestEnv, name: &str, status: &str) {
    let start = Instant::now();
    loop {
        // Until it exists (a spawned run may not have created it yet), then until `status`.
        let out = env
            .berth(["inspect", "--format", "{{.State.Status}}", name])
            .run();
        if out.code == Some(0) && out.stdout.trim() == status {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name} is still {} after 20 s",
            out.stdout.trim()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

both_modes!(inspect_a_created_running_and_exited_container, |env| {
    env.load(fixtures::busybox());
    let name = env.name("insp");
    let id = env
        .berth([
            "create", "--name", &name, "-e", "A=1", "-l", "team=web", "-w", "/tmp",
        ])
        .args(["--entrypoint", "/bin/sh", "busybox", "-c", "sleep 1000"])
        .assert_success()
        .stdout
        .trim()
        .to_string();
    let v = inspect(env, &[&name]);
    assert_eq!(v["Id"], id.as_str());
    assert_eq!(v["Name"], format!("/{name}"));
    assert_eq!(v["Path"], "/bin/sh");
    assert_eq!(v["Args"], serde_json::json!(["-c", "sleep 1000"]));
    assert_eq!(v["State"]["Status"], "created");
    assert_eq!(v["State"]["Running"], false);
    assert_eq!(v["State"]["Pid"], 0);
    assert_eq!(v["State"]["StartedAt"], "0001-01-01T00:00:00Z");
    assert_eq!(v["Config"]["Entrypoint"], serde_json::json!(["/bin/sh"]));
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["-c", "sleep 1000"]));
    assert_eq!(v["Config"]["WorkingDir"], "/tmp");
    assert_eq!(v["Config"]["Image"], "busybox");
    assert_eq!(v["Config"]["Labels"]["team"], "web");
    assert!(
        v["Config"]["Env"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "A=1"),
        "{v}"
    );
    assert!(v["Image"].as_str().unwrap().starts_with("sha256:"), "{v}");
    assert_eq!(v["HostConfig"]["RestartPolicy"]["Name"], "no");
    assert_eq!(v["HostConfig"]["NetworkMode"], "none");
    assert!(v["LogPath"].as_str().unwrap().ends_with("ctr.log"), "{v}");
    // The same through `container inspect` and an id prefix.
    let out = env
        .berth([
            "container",
            "inspect",
            "-f",
            "{{.Name}} {{.State.Status}}",
            &id[..12],
        ])
        .assert_success();
    assert_eq!(out.stdout, format!("/{name} created\n"));

    env.berth(["start", &name]).assert_success();
    wait_status(env, &name, "running");
    let v = inspect(env, &["--type", "container", &name]);
    assert_eq!(v["State"]["Running"], true);
    let pid = v["State"]["Pid"].as_i64().unwrap();
    assert!(pid > 0, "{v}");
    assert!(
        std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "State.Pid {pid} is no process"
    );
    assert_ne!(v["State"]["StartedAt"], "0001-01-01T00:00:00Z");

    env.berth(["rm", "-f", &name]).assert_success();
    env.berth(["inspect", &name])
        .assert_exit(125)
        .stderr_contains("no such object");
});

both_modes!(inspect_finds_containers_before_images, |env| {
    env.load(fixtures::busybox());
    // A container named like the image: without --type the container wins, as in Docker.
    env.berth(["create", "--name", "busybox", "busybox", "true"])
        .assert_success();
    let v = inspect(env, &["busybox"]);
    assert_eq!(v["Name"], "/busybox");
    let v = inspect(env, &["--type", "image", "busybox"]);
    assert!(v["RepoTags"].is_array(), "{v}");
    let out = env
        .berth(["inspect", "-f", "{{.Name}}", "busybox", "nosuch", "busybox"])
        .assert_exit(125);
    assert_eq!(out.stdout, "/busybox\n/busybox\n");
    assert!(
        out.stderr.contains("no such object: nosuch"),
        "{}",
        out.stderr
    );
    env.berth(["inspect", "--type", "volume", "busybox"])
        .assert_exit(125)
        .stderr_contains("--type");
    env.berth(["container", "inspect", "nosuch"])
        .assert_exit(125)
        .stderr_contains("no such container: nosuch");
    env.berth(["rm", "busybox"]).assert_success();
});

both_modes!(labels_in_ps_and_inspect, |env| {
    env.load(fixtures::busybox());
    let (a, b) = (env.name("la"), env.name("lb"));
    let file = env.write("labels", "# a comment\n\ntier=back\nempty\n");
    env.berth([
        "create",
        "--name",
        &a,
        "--label",
        "tier=front",
        "-l",
        "x=1",
        "busybox",
        "true",
    ])
    .assert_success();
    env.berth(["create", "--name", &b, "--label-file"])
        .arg(&file)
        .args(["busybox", "true"])
        .assert_success();
    let names = |filters: &[&str]| -> String {
        let mut cmd = env.berth(["ps", "-a", "--format", "{{.Names}}"]);
        for f in filters {
            cmd = cmd.args(["--filter", f]);
        }
        cmd.assert_success().stdout
    };
    assert_eq!(names(&["label=tier=front"]), format!("{a}\n"));
    assert_eq!(names(&["label=empty"]), format!("{b}\n"));
    assert_eq!(names(&["label=tier", "label=x"]), format!("{a}\n"));
    assert_eq!(names(&["label=nope"]), "");
    let out = env
        .berth([
            "ps",
            "-a",
            "--filter",
            &format!("name={a}"),
            "--format",
            "{{.Labels}}",
        ])
        .assert_success();
    assert_eq!(out.stdout, "tier=front,x=1\n");
    let v = inspect(env, &[&b]);
    assert_eq!(
        v["Config"]["Labels"],
        serde_json::json!({"empty": "", "tier": "back"})
    );
    env.berth(["create", "--label", "=v", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid label");
    env.berth(["rm", &a, &b]).assert_success();
});

both_modes!(rename_moves_the_name, |env| {
    env.load(fixtures::busybox());
    let (old, new, other) = (env.name("old"), env.name("new"), env.name("other"));
    env.berth(["run", "-d", "--name", &old, "busybox", "sleep", "1000"])
        .assert_success();
    env.berth(["create", "--name", &other, "busybox", "true"])
        .assert_success();
    env.berth(["rename", &old, &other])
        .assert_exit(125)
        .stderr_contains("already in use");
    env.berth(["rename", &old, "bad/name"])
        .assert_exit(125)
        .stderr_contains("invalid container name");
    env.berth(["rename", &old, &new]).assert_success();
    let v = inspect(env, &[&new]);
    assert_eq!(v["Name"], format!("/{new}"));
    assert_eq!(v["State"]["Running"], true);
    env.berth(["container", "exists", &old]).assert_exit(1);
    // The old name is free again.
    env.berth(["create", "--name", &old, "busybox", "true"])
        .assert_success();
    let out = env
        .berth([
            "events",
            "--stream=false",
            "--filter",
            "event=rename",
            "--format",
            "{{.Actor.Attributes.name}} {{.Actor.Attributes.oldName}}",
        ])
        .assert_success();
    assert_eq!(out.stdout, format!("{new} /{old}\n"));
    env.berth(["rm", "-f", &new, &old, &other]).assert_success();
});

both_modes!(exists_and_port, |env| {
    env.load(fixtures::busybox());
    let name = env.name("ex");
    env.berth(["container", "exists", &name]).assert_exit(1);
    env.berth(["create", "--name", &name, "busybox", "true"])
        .assert_success();
    env.berth(["container", "exists", &name]).assert_success();
    env.berth(["port", &name]).assert_success().stdout_empty();
    env.berth(["container", "port", &name, "80/tcp"])
        .assert_exit(125)
        .stderr_contains("no public port '80/tcp'");
    env.berth(["port", &name, "80/xyz"])
        .assert_exit(125)
        .stderr_contains("invalid port");
    env.berth(["port", "nosuch"])
        .assert_exit(125)
        .stderr_contains("no such container");
    let v = inspect(env, &[&name]);
    assert_eq!(v["NetworkSettings"]["Ports"], serde_json::json!({}));
    env.berth(["rm", &name]).assert_success();
    env.berth(["container", "exists", &name]).assert_exit(1);
});

both_modes!(prune_removes_only_stopped_containers, |env| {
    env.load(fixtures::busybox());
    let (up, done, kept) = (env.name("up"), env.name("done"), env.name("kept"));
    env.berth(["run", "-d", "--name", &up, "busybox", "sleep", "1000"])
        .assert_success();
    let done_id = env
        .berth(["create", "--name", &done, "busybox", "true"])
        .assert_success()
        .stdout
        .trim()
        .to_string();
    env.berth([
        "create", "--name", &kept, "-l", "keep=yes", "busybox", "true",
    ])
    .assert_success();
    env.berth(["container", "prune"])
        .assert_exit(125)
        .stderr_contains("--force");
    let out = env
        .berth(["container", "prune", "-f", "--filter", "label!=keep"])
        .assert_success();
    assert_eq!(
        out.stdout,
        format!("Deleted Containers:\n{done_id}\n\nTotal reclaimed space: 0B\n")
    );
    env.berth(["container", "exists", &up]).assert_success();
    env.berth(["container", "exists", &kept]).assert_success();
    env.berth(["container", "exists", &done]).assert_exit(1);
    // until= in the past keeps everything younger.
    let out = env
        .berth(["container", "prune", "-f", "--filter", "until=1h"])
        .assert_success();
    assert_eq!(out.stdout, "Total reclaimed space: 0B\n");
    env.berth(["container", "prune", "-f", "--filter", "colour=red"])
        .assert_exit(125)
        .stderr_contains("invalid --filter");
    env.berth(["container", "prune", "-f"]).assert_success();
    env.berth(["container", "exists", &kept]).assert_exit(1);
    env.berth(["rm", "-f", &up]).assert_success();
});

both_modes!(images_used_by_containers_stay, |env| {
    env.load(fixtures::busybox());
    let name = env.name("user");
    env.berth(["create", "--name", &name, "busybox", "true"])
        .assert_success();
    let id = env
        .berth(["image", "inspect", "-f", "{{.Id}}", "busybox"])
        .assert_success()
        .stdout
        .trim()
        .to_string();
    // Neither by name nor by id without -f; prune -a keeps it.
    env.berth(["rmi", "busybox"])
        .assert_exit(125)
        .stderr_contains(&format!("used by container {name}"));
    env.berth(["rmi", &id])
        .assert_exit(125)
        .stderr_contains("used by container");
    env.berth(["image", "prune", "-a", "-f"]).assert_success();
    env.berth(["image", "exists", &id]).assert_success();
    // -f untags, and the image stays for the container, which still starts.
    env.berth(["rmi", "-f", "busybox"])
        .assert_success()
        .stdout_contains("Untagged: ");
    env.berth(["image", "exists", "busybox"]).assert_exit(1);
    env.berth(["image", "exists", &id]).assert_success();
    env.berth(["start", "-a", &name]).assert_success();
    // Once the container is gone, the image goes too.
    env.berth(["rm", &name]).assert_success();
    env.berth(["image", "prune", "-f"]).assert_success();
    env.berth(["image", "exists", &id]).assert_exit(1);
});

both_modes!(rm_all_cidfile_and_ignore, |env| {
    env.load(fixtures::busybox());
    let (a, b, up) = (env.name("ra"), env.name("rb"), env.name("rup"));
    let cid = env.path("b.cid");
    env.berth(["create", "--name", &a, "busybox", "true"])
        .assert_success();
    env.berth(["create", "--name", &b, "--cidfile"])
        .arg(&cid)
        .args(["busybox", "true"])
        .assert_success();
    env.berth(["rm", "--cidfile"]).arg(&cid).assert_success();
    env.berth(["container", "exists", &b]).assert_exit(1);
    env.berth(["rm", "nosuch"]).assert_exit(125);
    env.berth(["rm", "-i", "-v", "--depend", "nosuch"])
        .assert_success();
    env.berth(["run", "-d", "--name", &up, "busybox", "sleep", "1000"])
        .assert_success();
    // -a without -f removes what is stopped and reports the running one.
    env.berth(["rm", "-a"])
        .assert_exit(125)
        .stderr_contains("is running");
    env.berth(["container", "exists", &a]).assert_exit(1);
    env.berth(["container", "exists", &up]).assert_success();
    env.berth(["rm", "-a", "-f"]).assert_success();
    env.berth(["container", "exists", &up]).assert_exit(1);
    env.berth(["rm", "-a", &up])
        .assert_exit(125)
        .stderr_contains("cannot be used with");
});

both_modes!(ps_removes_rm_containers_whose_process_vanished, |env| {
    env.load(fixtures::busybox());
    let (gone, kept) = (env.name("gone"), env.name("kept"));
    // Foreground runs whose berth is then SIGKILLed: nobody is left to record the exit.
    let mut runs = Vec::new();
    for (name, rm) in [(&gone, true), (&kept, false)] {
        let mut cmd = env.berth(["run", "--name", name]);
        if rm {
            cmd = cmd.arg("--rm");
        }
        runs.push(cmd.args(["busybox", "sleep", "1000"]).spawn());
    }
    let mut pids = Vec::new();
    for name in [&gone, &kept] {
        wait_status(env, name, "running");
        let out = env
            .berth(["inspect", "-f", "{{.State.Pid}}", name])
            .assert_success();
        pids.push(out.stdout.trim().parse::<i32>().expect("a pid"));
    }
    for mut run in runs {
        let _ = run.kill();
        let _ = run.wait();
    }
    for pid in pids {
        // The container's process, started by this test's berth.
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::SIGKILL);
        let start = Instant::now();
        while std::path::Path::new(&format!("/proc/{pid}")).exists()
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let out = env
        .berth(["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
        .assert_success();
    assert!(
        out.stdout.starts_with(&format!("{kept} Exited (255) ")),
        "{}",
        out.stdout
    );
    env.berth(["container", "exists", &gone]).assert_exit(1);
    env.berth(["rm", &kept]).assert_success();
});
