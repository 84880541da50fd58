//! The network a container gets without `--network` (the default bridge network as root, pasta
//! rootless), `containers.conf`'s network keys, and the release of what a container killed
//! unseen (its monitor SIGKILLed) left of its network.
//!
//! Every other test runs with `[containers] netns = "none"` (the harness's containers.conf);
//! these set their own. Root tests on the default bridge hold `TestEnv::default_bridge`.

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::network::{assert_no_pasta_left, free_port, http_get, pastas};
use crate::support::{Need, TestEnv, fixtures};

/// True when rootless pasta can run here (or skipped).
fn pasta_ready() -> bool {
    crate::support::require(Need::Tool("pasta"))
        && crate::support::require(Need::UserDevice("/dev/net/tun"))
}

fn inspect(env: &TestEnv, name: &str, format: &str) -> String {
    env.berth(["inspect", "-f", format, name])
        .assert_success()
        .trimmed()
        .to_string()
}

fn id_of(env: &TestEnv, name: &str) -> String {
    inspect(env, name, "{{.Id}}")
}

fn state(env: &TestEnv, id: &str) -> serde_json::Value {
    let p = env.root.join("containers").join(id).join("state.json");
    serde_json::from_str(&std::fs::read_to_string(p).expect("reading state.json"))
        .expect("state.json is JSON")
}

/// True when nftables has table `family name`.
fn nft_table(family: &str, name: &str) -> bool {
    Command::new("nft")
        .args(["list", "table", family, name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// SIGKILLs the monitor of container `id` (a process berth started for this test, by its
/// recorded pid) and waits until the container's process is gone with it.
fn kill_monitor(env: &TestEnv, id: &str) {
    let s = state(env, id);
    let monitor = i32::try_from(s["monitor_pid"].as_i64().expect("monitor_pid")).unwrap();
    let pid = s["pid"].as_i64().expect("pid");
    assert!(monitor > 1 && pid > 1, "{s}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(monitor),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9 the monitor");
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while proc.exists()
        && !std::fs::read_to_string(proc.join("stat")).is_ok_and(|s| s.contains(") Z"))
    {
        assert!(
            Instant::now() < deadline,
            "the container outlived its monitor"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A one-shot TCP server on all the host's addresses: (port, thread).
fn host_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("0.0.0.0:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.write_all(b"from-host");
        }
    });
    (port, server)
}

both_modes!(no_network_flag_gets_the_default_network, |env| {
    // berth's own defaults: no containers.conf keys.
    env.set_containers_conf("");
    let _bridge = env.default_bridge_if_root();
    if env.rootless() && !pasta_ready() {
        return;
    }
    env.load(fixtures::busybox());
    let want = if env.rootless() { "pasta" } else { "berth" };
    env.berth([
        "info",
        "--format",
        "{{.Host.DefaultNetwork}} {{.Host.RootlessNetworkCmd}}",
    ])
    .assert_success()
    .stdout_is(&format!("{want} pasta\n"));

    // Whether egress can leave the host: info reports the host's setting as it is.
    let forwarding = std::fs::read_to_string("/proc/sys/net/ipv4/ip_forward").unwrap();
    env.berth(["info", "--format", "{{.IPv4Forwarding}}"])
        .assert_success()
        .stdout_is(&format!("{}\n", forwarding.trim() == "1"));

    // -p works with no --network.
    let web = env.name("web");
    let port = free_port();
    env.berth(["run", "-d", "--name", &web, "-p"])
        .arg(format!("{port}:80"))
        .args(["busybox", "httpd", "-f", "-p", "80", "-h", "/etc"])
        .assert_success();
    assert!(http_get(port, "/passwd").contains("root:"));
    assert_eq!(inspect(env, &web, "{{.HostConfig.NetworkMode}}"), want);
    env.berth([
        "ps",
        "--filter",
        &format!("name={web}"),
        "--format",
        "{{.Networks}}",
    ])
    .assert_success()
    .stdout_is(&format!("{want}\n"));
    let id = id_of(env, &web);

    // The container reaches a server on the host.
    let (server_port, server) = host_server();
    if env.rootless() {
        // pasta maps the container's gateway to the host.
        let out = env
            .berth(["run", "--rm", "busybox", "sh", "-c"])
            .arg(format!(
                "gw=$(ip route | awk '/^default/ {{print $3}}'); timeout 3 nc $gw {server_port} </dev/null; true"
            ))
            .assert_success();
        assert!(out.stdout.starts_with("from-host"), "{:?}", out.stdout);
    } else {
        // An address in the default subnet, on the default network.
        let ip: Ipv4Addr = inspect(env, &web, "{{.NetworkSettings.Networks.berth.IPAddress}}")
            .parse()
            .expect("an IPv4 address");
        assert_eq!(ip.octets()[..2], [10, 88], "{ip}");
        let gateway = inspect(env, &web, "{{.NetworkSettings.Gateway}}");
        assert_eq!(gateway, "10.88.0.1");
        env.berth(["run", "--rm", "busybox", "sh", "-c"])
            .arg(format!("ip -4 addr show eth0 | grep -q ' 10\\.88\\.' && timeout 5 nc {gateway} {server_port} </dev/null"))
            .assert_success()
            .stdout_is("from-host");
        // Egress leaves the subnet masqueraded, in the default network's own table.
        let net_id = env
            .berth(["network", "inspect", "--format", "{{.Id}}", "bridge"])
            .assert_success()
            .trimmed()[..12]
            .to_string();
        let table = Command::new("nft")
            .args(["list", "table", "inet", &format!("berth-{net_id}")])
            .output()
            .unwrap();
        let table = String::from_utf8_lossy(&table.stdout);
        assert!(
            table.contains("ip saddr 10.88.0.0/16 ip daddr != 10.88.0.0/16 masquerade"),
            "{table}"
        );
        // ...and the host forwards it, as Docker and netavark make it (beyond the host is not
        // reachable from this machine, so the setting is what can be checked).
        assert_eq!(
            std::fs::read_to_string("/proc/sys/net/ipv4/ip_forward")
                .unwrap()
                .trim(),
            "1",
            "setting up the default network turns IPv4 forwarding on"
        );
        env.berth(["info", "--format", "{{.IPv4Forwarding}}"])
            .assert_success()
            .stdout_is("true\n");
        assert!(nft_table("ip", &format!("berth-c-{}", &id[..12])));
    }
    server.join().unwrap();

    env.berth(["rm", "-f", &web]).assert_success();
    if env.rootless() {
        assert_no_pasta_left(env);
    } else {
        assert!(!nft_table("ip", &format!("berth-c-{}", &id[..12])));
    }
});

both_modes!(containers_conf_chooses_the_default, |env| {
    env.load(fixtures::busybox());
    let conf = env.containers_conf().display().to_string();
    let create = |name: &str| {
        env.berth(["create", "--name", name, "busybox", "true"])
            .assert_success();
        inspect(env, name, "{{.HostConfig.NetworkMode}}")
    };

    env.set_containers_conf("[containers]\nnetns = \"host\"\n");
    let host_ns = std::fs::read_link("/proc/self/ns/net").unwrap();
    env.berth(["run", "--rm", "busybox", "readlink", "/proc/self/ns/net"])
        .assert_success()
        .stdout_is(&format!("{}\n", host_ns.display()));

    // Unknown keys and tables (a real Podman file) are fine.
    env.set_containers_conf(
        "[containers]\nnetns = \"none\"\ndefault_ulimits = [\"nofile=1024:1024\"]\n[engine]\ncgroup_manager = \"cgroupfs\"\n",
    );
    env.berth(["run", "--rm", "busybox", "ls", "/sys/class/net"])
        .assert_success()
        .stdout_is("lo\n");

    // A bad value names the file and the key; an explicit --network does not read the file.
    env.set_containers_conf("[containers]\nnetns = \"bridged\"\n");
    env.berth(["run", "--rm", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains(&format!("invalid {conf}: [containers] netns = \"bridged\""));
    env.berth(["run", "--rm", "--network", "none", "busybox", "true"])
        .assert_success();
    env.set_containers_conf("[containers\nnetns = \"none\"\n");
    env.berth(["run", "--rm", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains(&format!("invalid {conf} (line 1)"));

    // slirp4netns: rootless only.
    env.set_containers_conf("[containers]\nnetns = \"slirp4netns\"\n");
    if env.rootless() {
        if crate::support::which("slirp4netns").is_some() {
            assert_eq!(create(&env.name("sl")), "slirp4netns");
        }
    } else {
        env.berth(["create", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains(&format!(
                "the default network is slirp4netns ([containers] netns in {conf}), which is for rootless containers"
            ));
    }

    // bridge: root's default network; refused rootless, naming the key.
    env.set_containers_conf("[containers]\nnetns = \"bridge\"\n");
    if env.rootless() {
        env.berth(["create", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains(&format!("[containers] netns in {conf}"))
            .stderr_contains("rootless");
    } else {
        assert_eq!(create(&env.name("br")), "berth");
    }
    // pasta: rootless only.
    env.set_containers_conf("[containers]\nnetns = \"pasta\"\n");
    if env.rootless() {
        if crate::support::which("pasta").is_some() {
            assert_eq!(create(&env.name("pa")), "pasta");
        }
    } else {
        env.berth(["create", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("which is for rootless containers");
    }
    // private with slirp4netns as the rootless command: slirp4netns rootless, bridge as root.
    env.set_containers_conf("[network]\ndefault_rootless_network_cmd = \"slirp4netns\"\n");
    env.berth(["info", "--format", "{{.Host.RootlessNetworkCmd}}"])
        .assert_success()
        .stdout_is("slirp4netns\n");
    if env.rootless() {
        if crate::support::which("slirp4netns").is_some() {
            assert_eq!(create(&env.name("pr")), "slirp4netns");
        }
    } else {
        assert_eq!(create(&env.name("pr")), "berth");
    }
    for n in env.berth(["ps", "-aq"]).assert_success().lines() {
        env.berth(["rm", n]).assert_success();
    }
});

both_modes!(default_subnet_sets_the_default_networks_subnet, |env| {
    // A bad one is an error naming the file and the key when the default network is made.
    env.set_containers_conf("[network]\ndefault_subnet = \"10.197.4.0/33\"\n");
    env.berth(["network", "ls"])
        .assert_exit(125)
        .stderr_contains(&format!(
            "invalid {}: [network] default_subnet = \"10.197.4.0/33\"",
            env.containers_conf().display()
        ));
    env.set_containers_conf("[network]\ndefault_subnet = \"10.197.4.0/24\"\n");
    env.berth([
        "network",
        "inspect",
        "bridge",
        "--format",
        "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}",
    ])
    .assert_success()
    .stdout_is("10.197.4.0/24 10.197.4.1\n");
    if env.rootless() {
        return;
    }
    // Its first container's address (create only: nothing is attached to the host's bridge).
    env.load(fixtures::busybox());
    let c = env.name("sub");
    env.berth(["create", "--name", &c, "busybox", "true"])
        .assert_success();
    assert_eq!(
        inspect(env, &c, "{{.NetworkSettings.Networks.berth.IPAddress}}"),
        "10.197.4.2"
    );
    // Made once: a later change of the file does not move it.
    env.set_containers_conf("[network]\ndefault_subnet = \"10.198.0.0/24\"\n");
    env.berth([
        "network",
        "inspect",
        "bridge",
        "--format",
        "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
    ])
    .assert_success()
    .stdout_is("10.197.4.0/24\n");
    env.berth(["rm", &c]).assert_success();
});

both_modes!(
    a_killed_monitors_network_is_released_by_the_next_command,
    |env| {
        env.set_containers_conf("");
        let _bridge = env.default_bridge_if_root();
        if env.rootless() && !pasta_ready() {
            return;
        }
        env.load(fixtures::busybox());
        let web = env.name("killed");
        let port = free_port();
        env.berth(["run", "-d", "--name", &web, "-p"])
            .arg(format!("{port}:80"))
            .args(["busybox", "httpd", "-f", "-p", "80", "-h", "/etc"])
            .assert_success();
        assert!(http_get(port, "/passwd").contains("root:"));
        let id = id_of(env, &web);
        let table = format!("berth-c-{}", &id[..12]);
        kill_monitor(env, &id);
        // Nobody ran the teardown: the port forwarding is still there.
        if env.rootless() {
            assert!(!pastas(env).is_empty(), "pasta should outlive the monitor");
        } else {
            assert!(nft_table("ip", &table), "the port table went by itself");
        }
        // The next command that looks at the container releases it.
        env.berth(["ps", "-a", "--format", "{{.Names}} {{.State}}"])
            .assert_success()
            .stdout_is(&format!("{web} exited\n"));
        if env.rootless() {
            assert_no_pasta_left(env);
            // The host port is free again.
            let start = Instant::now();
            while TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "port {port} still taken"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        } else {
            assert!(!nft_table("ip", &table), "ps left the port table");
            assert!(
                !std::path::Path::new("/sys/class/net")
                    .join(format!("vb{}", &id[..12]))
                    .exists()
            );
            // The container still exists and keeps its address until it is removed.
            env.berth([
                "network",
                "inspect",
                "berth",
                "--format",
                "{{len .Containers}}",
            ])
            .assert_success()
            .stdout_is("1\n");
        }
        // It starts again, with its ports.
        env.berth(["start", &web]).assert_success();
        assert!(http_get(port, "/passwd").contains("root:"));
        // Killed unseen again: `stop`, which records the end, releases the network too.
        kill_monitor(env, &id);
        if env.rootless() {
            assert!(!pastas(env).is_empty(), "pasta should outlive the monitor");
        } else {
            assert!(nft_table("ip", &table), "the port table went by itself");
        }
        env.berth(["stop", &web]).assert_success();
        if env.rootless() {
            assert_no_pasta_left(env);
        } else {
            assert!(!nft_table("ip", &table), "stop left the port table");
        }
        env.berth(["rm", &web]).assert_success();
        if env.rootless() {
            return;
        }
        assert!(!nft_table("ip", &table));
        env.berth([
            "network",
            "inspect",
            "berth",
            "--format",
            "{{len .Containers}}",
        ])
        .assert_success()
        .stdout_is("0\n");

        // An address whose container's record is gone (a berth killed between removing the
        // directory and releasing the address) goes back at the next network command.
        let c = env.name("orphan");
        env.berth(["create", "--name", &c, "busybox", "true"])
            .assert_success();
        let cid = id_of(env, &c);
        let dir = env.root.join("containers").join(&cid);
        std::fs::rename(&dir, env.work.join("moved-away")).unwrap();
        env.berth(["network", "ls", "-q"]).assert_success();
        env.berth([
            "network",
            "inspect",
            "berth",
            "--format",
            "{{len .Containers}}",
        ])
        .assert_success()
        .stdout_is("0\n");
        std::fs::rename(env.work.join("moved-away"), &dir).unwrap();
        env.berth(["rm", &c]).assert_success();
    }
);

both_modes!(
    a_killed_rm_container_goes_whole_at_the_next_network_command,
    |env| {
        env.set_containers_conf("");
        let _bridge = env.default_bridge_if_root();
        if env.rootless() && !pasta_ready() {
            return;
        }
        env.load(fixtures::busybox());
        let web = env.name("rmkilled");
        let port = free_port();
        env.berth(["run", "-d", "--rm", "--name", &web, "-p"])
            .arg(format!("{port}:80"))
            .args(["busybox", "httpd", "-f", "-p", "80", "-h", "/etc"])
            .assert_success();
        assert!(http_get(port, "/passwd").contains("root:"));
        let id = id_of(env, &web);
        let table = format!("berth-c-{}", &id[..12]);
        kill_monitor(env, &id);
        if env.rootless() {
            assert!(!pastas(env).is_empty(), "pasta should outlive the monitor");
        } else {
            assert!(nft_table("ip", &table), "the port table went by itself");
        }
        // A network command (not ps) removes it, with everything its network held.
        env.berth(["network", "ls", "-q"]).assert_success();
        assert!(
            !env.root.join("containers").join(&id).exists(),
            "the --rm container is still there"
        );
        env.berth(["inspect", &web]).assert_exit(125);
        if env.rootless() {
            assert_no_pasta_left(env);
        } else {
            assert!(!nft_table("ip", &table), "its port table is still there");
            env.berth([
                "network",
                "inspect",
                "berth",
                "--format",
                "{{len .Containers}}",
            ])
            .assert_success()
            .stdout_is("0\n");
        }
    }
);

both_modes!(slirp4netns_gives_egress_and_published_ports, |env| {
    env.load(fixtures::busybox());
    if !env.rootless() {
        env.berth(["run", "--rm", "--network", "slirp4netns", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("--network slirp4netns is for rootless containers");
        return;
    }
    crate::require!(Need::Tool("slirp4netns"), Need::UserDevice("/dev/net/tun"));
    let slirps = || {
        let store = env.root.display().to_string();
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok())
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .filter(|c| c.contains("slirp4netns") && c.contains(&store))
            .count()
    };
    let web = env.name("slirp");
    let port = free_port();
    env.berth([
        "run",
        "-d",
        "--name",
        &web,
        "--network",
        "slirp4netns",
        "-p",
    ])
    .arg(format!("{port}:80"))
    .args(["busybox", "httpd", "-f", "-p", "80", "-h", "/etc"])
    .assert_success();
    assert!(http_get(port, "/passwd").contains("root:"));
    assert_eq!(
        inspect(env, &web, "{{.HostConfig.NetworkMode}}"),
        "slirp4netns"
    );
    env.berth(["port", &web])
        .assert_success()
        .stdout_is(&format!("80/tcp -> 0.0.0.0:{port}\n"));
    assert_eq!(slirps(), 1);
    // The container reaches a server on the host (host.containers.internal is the host's
    // address: its loopback is out of reach, as in Podman).
    let (server_port, server) = host_server();
    env.berth(["run", "--rm", "--network", "slirp4netns", "busybox", "sh", "-c"])
        .arg(format!(
            "ip -4 addr show tap0 | grep -q ' 10\\.0\\.2\\.100/' && timeout 5 nc host.containers.internal {server_port} </dev/null"
        ))
        .assert_success()
        .stdout_is("from-host");
    server.join().unwrap();
    // A host port that is taken: a clear error, and nothing left behind.
    let taken = TcpListener::bind("0.0.0.0:0").unwrap();
    let busy = taken.local_addr().unwrap().port();
    env.berth(["run", "--rm", "--network", "slirp4netns", "-p"])
        .arg(format!("{busy}:80"))
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains(&format!(
            "0.0.0.0:{busy}/tcp: the host port is already in use"
        ));
    assert_eq!(slirps(), 1, "a failed run left a slirp4netns");
    drop(taken);
    // Its monitor killed unseen: slirp4netns goes by itself (its exit pipe closed), and the
    // container starts again with its ports.
    kill_monitor(env, &id_of(env, &web));
    let gone = |what: &str| {
        let start = std::time::Instant::now();
        while slirps() > 0 {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "slirp4netns left running {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    gone("after its monitor was killed");
    env.berth(["start", &web]).assert_success();
    assert!(http_get(port, "/passwd").contains("root:"));
    env.berth(["rm", "-f", &web]).assert_success();
    gone("after rm -f");
});
