//! Network objects: `berth network create|ls|inspect|rm|prune|exists`, their subnets, and the
//! clear refusal of `--network NAME` until containers can attach to networks.

use std::collections::BTreeSet;

use crate::support::{Need, TestEnv, fixtures};

/// Removes the networks a test made when it ends, failed or not: once containers attach to
/// them they own kernel bridges, which must not outlive the test. As root it also deletes the
/// nftables table of the test store's default network (each store's default network has an id
/// of its own, so its table would outlive the store; the `berth0` bridge is shared).
pub(crate) struct NetworkGuard<'a> {
    env: &'a TestEnv,
    names: Vec<String>,
}

impl<'a> NetworkGuard<'a> {
    pub(crate) fn new(env: &'a TestEnv) -> NetworkGuard<'a> {
        NetworkGuard {
            env,
            names: Vec::new(),
        }
    }

    /// A fresh network name, removed at the end.
    fn name(&mut self, prefix: &str) -> String {
        let n = self.env.name(prefix);
        self.names.push(n.clone());
        n
    }
}

impl Drop for NetworkGuard<'_> {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = self.env.berth(["network", "rm", "-f", n]).run();
        }
        if self.env.rootless() {
            return;
        }
        let id = self
            .env
            .berth(["network", "inspect", "--format", "{{.Id}}", "berth"])
            .run();
        if let Some(id) = id.stdout.trim().get(..12) {
            let table = format!("berth-{id}");
            let _ = std::process::Command::new("nft")
                .args(["delete", "table", "inet", &table])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

both_modes!(networks_are_created_listed_inspected_and_removed, |env| {
    let mut g = NetworkGuard::new(env);
    let (app, back) = (g.name("app"), g.name("back"));
    let id = env
        .berth(["network", "create", &app])
        .assert_success()
        .trimmed()
        .to_string();
    assert_eq!(id.len(), 64, "create prints the full id: {id}");
    env.berth([
        "network",
        "create",
        "--subnet",
        "10.142.0.0/24",
        "--gateway",
        "10.142.0.254",
        "--ip-range",
        "10.142.0.128/25",
        "--internal",
        "--label",
        "tier=back",
        "--opt",
        "mtu=1400",
        &back,
    ])
    .assert_success();

    // The default network is there too, made on first use.
    let ls = env.berth(["network", "ls"]).assert_success();
    assert_eq!(
        ls.lines()[0].split_whitespace().collect::<Vec<_>>(),
        ["NETWORK", "ID", "NAME", "DRIVER", "SCOPE"]
    );
    for name in [app.as_str(), back.as_str(), "berth"] {
        assert!(
            ls.lines()
                .iter()
                .any(|l| l.split_whitespace().nth(1) == Some(name)
                    && l.contains("bridge")
                    && l.contains("local")),
            "{name} not listed:\n{}",
            ls.stdout
        );
    }
    env.berth(["network", "ls", "-q", "--filter", "label=tier=back"])
        .assert_success()
        .stdout_is(&format!(
            "{}\n",
            &env.berth(["network", "inspect", "--format", "{{.Id}}", &back])
                .assert_success()
                .trimmed()[..12]
        ));
    env.berth(["network", "ls", "--filter", &format!("id={}", &id[..10])])
        .assert_success()
        .stdout_contains(&app)
        .stdout_lacks(&back);
    env.berth([
        "network",
        "ls",
        "--filter",
        &format!("name={app}"),
        "--format",
        "{{.Name}} {{.Driver}} {{.Internal}}",
    ])
    .assert_success()
    .stdout_is(&format!("{app} bridge false\n"));

    // Docker's inspect shape.
    env.berth([
        "network",
        "inspect",
        &back,
        "--format",
        "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{.Internal}} {{.Scope}} {{.Driver}} {{index .Labels \"tier\"}} {{.Options.mtu}}",
    ])
    .assert_success()
    .stdout_is("10.142.0.0/24 10.142.0.254 10.142.0.128/25 true local bridge back 1400\n");
    let v = env
        .berth(["network", "inspect", &app])
        .assert_success()
        .json();
    let n = &v[0];
    assert_eq!(n["Name"], app.as_str());
    assert_eq!(n["Id"], id.as_str());
    assert_eq!(n["EnableIPv6"], false);
    assert_eq!(n["Containers"], serde_json::json!({}));
    let subnet = n["IPAM"]["Config"][0]["Subnet"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        subnet.starts_with("10.") && subnet.ends_with("/24"),
        "{subnet}"
    );
    assert_ne!(subnet, "10.142.0.0/24");
    assert!(n["Created"].as_str().unwrap().starts_with("20"));
    // By id prefix as well; a missing one is reported and the rest still printed.
    let out = env
        .berth([
            "network",
            "inspect",
            "--format",
            "{{.Name}}",
            &id[..12],
            "nope",
        ])
        .assert_exit(125);
    assert_eq!(out.stdout, format!("{app}\n"));
    assert!(
        out.stderr.contains("Error: network \"nope\" not found"),
        "{}",
        out.stderr
    );

    env.berth(["network", "exists", &app])
        .assert_success()
        .stdout_empty();
    env.berth(["network", "exists", "bridge"]).assert_success();
    env.berth(["network", "exists", "nope"]).assert_exit(1);

    env.berth(["network", "rm", &back, "nope"])
        .assert_exit(125)
        .stdout_is(&format!("{back}\n"))
        .stderr_contains("not found");
    env.berth(["network", "exists", &back]).assert_exit(1);
    env.berth(["network", "rm", "berth"])
        .assert_error()
        .stderr_contains("default network");
    env.berth(["network", "prune"])
        .stdin("")
        .assert_error()
        .stderr_contains("--force");
    env.berth(["network", "prune", "-f"])
        .assert_success()
        .stdout_is(&format!("Deleted Networks:\n{app}\n"));
    env.berth(["network", "ls", "--format", "{{.Name}}"])
        .assert_success()
        .stdout_is("berth\n");
});

both_modes!(network_create_refuses_bad_input, |env| {
    let mut g = NetworkGuard::new(env);
    let taken = g.name("taken");
    env.berth(["network", "create", "--subnet", "10.143.0.0/24", &taken])
        .assert_success();
    let name = g.name("bad");
    for (args, words) in [
        (vec!["--subnet", "10.143.0.0/16"], "overlaps"),
        (vec!["--subnet", "10.144.0.1/24"], "host bits"),
        (vec!["--subnet", "fd00::/64"], "IPv4"),
        (vec!["--subnet", "10.144.0.0/40"], "invalid subnet"),
        (vec!["--gateway", "10.144.0.1"], "need --subnet"),
        (
            vec!["--subnet", "10.144.0.0/24", "--gateway", "10.145.0.1"],
            "invalid --gateway",
        ),
        (vec!["--subnet", "10.144.0.0/24", "--gateway", "x"], "IPv4"),
        (
            vec!["--subnet", "10.144.0.0/24", "--ip-range", "10.146.0.0/28"],
            "not inside the subnet",
        ),
        (vec!["--driver", "macvlan"], "unsupported network driver"),
        (vec!["--opt", "mtu=9"], "MTU"),
        (vec!["--opt", "mtu"], "KEY=VALUE"),
        (vec!["--opt", "parent=eth0"], "unsupported network option"),
        (vec!["--label", "=x"], "--label"),
    ] {
        let mut all = vec!["network", "create"];
        all.extend(&args);
        all.push(&name);
        env.berth(&all).assert_error().stderr_contains(words);
    }
    env.berth(["network", "create", &taken])
        .assert_error()
        .stderr_contains("already in use");
    env.berth(["network", "create", "--ignore", &taken])
        .assert_success();
    for bad in ["-x", "a/b", "host", "bridge"] {
        env.berth(["network", "create", "--", bad]).assert_error();
    }
    env.berth(["network", "ls", "--filter", "colour=red"])
        .assert_error()
        .stderr_contains("invalid filter");
    // Nothing refused was left behind.
    env.berth(["network", "ls", "--format", "{{.Name}}"])
        .assert_success()
        .stdout_is(&format!("berth\n{taken}\n"));
});

both_modes!(parallel_creates_get_distinct_subnets, |env| {
    let mut g = NetworkGuard::new(env);
    let names: Vec<String> = (0..8).map(|_| g.name("par")).collect();
    // Separate processes: the networks lock, not a mutex, keeps them apart.
    std::thread::scope(|s| {
        let runs: Vec<_> = names
            .iter()
            .map(|n| s.spawn(move || env.berth(["network", "create", n]).assert_success()))
            .collect();
        for r in runs {
            r.join().unwrap();
        }
    });
    let subnets: BTreeSet<String> = names
        .iter()
        .map(|n| {
            env.berth([
                "network",
                "inspect",
                "--format",
                "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
                n,
            ])
            .assert_success()
            .trimmed()
            .to_string()
        })
        .collect();
    assert_eq!(subnets.len(), 8, "{subnets:?}");
    assert!(!subnets.contains("10.88.0.0/16"));
});

/// The network's bridge, as root.
fn bridge_of(env: &TestEnv, net: &str) -> String {
    let id = env
        .berth(["network", "inspect", "--format", "{{.Id}}", net])
        .assert_success()
        .trimmed()
        .to_string();
    format!("br-{}", &id[..12])
}

fn iface_exists(name: &str) -> bool {
    std::path::Path::new("/sys/class/net").join(name).exists()
}

both_modes!(
    containers_on_one_network_reach_each_other_and_not_across,
    |env| {
        env.load(fixtures::busybox());
        let mut g = NetworkGuard::new(env);
        let (a, b, inner) = (g.name("a"), g.name("b"), g.name("inner"));
        env.berth(["network", "create", "--subnet", "10.151.0.0/24", &a])
            .assert_success();
        env.berth(["network", "create", "--subnet", "10.152.0.0/24", &b])
            .assert_success();
        env.berth([
            "network",
            "create",
            "--internal",
            "--subnet",
            "10.153.0.0/24",
            &inner,
        ])
        .assert_success();
        if env.rootless() {
            // Rootless networks live in their own namespace: tests/it/rootless_networks.rs.
            return;
        }
        let server = env.name("srv");
        env.berth([
            "run",
            "-d",
            "--name",
            &server,
            "--network",
            &a,
            "--ip",
            "10.151.0.10",
            "busybox",
            "sh",
            "-c",
            "while true; do echo hello | nc -l -p 80; done",
        ])
        .assert_success();
        let bridge = bridge_of(env, &a);
        assert!(iface_exists(&bridge), "no bridge {bridge}");
        // The network's own nftables table: isolation from other berth bridges, and egress NAT.
        let table = format!("berth-{}", &bridge[3..]);
        let rules = env
            .command("nft", ["list", "table", "inet", &table])
            .assert_success();
        assert!(
            rules
                .stdout
                .contains(&format!("iifname \"{bridge}\" oifname \"br-*\""))
                && rules.stdout.contains("masquerade"),
            "{}",
            rules.stdout
        );
        let id = env
            .berth(["inspect", "--format", "{{.Id}}", &server])
            .assert_success()
            .trimmed()
            .to_string();
        let veth = format!("vb{}", &id[..12]);
        assert!(iface_exists(&veth), "no host veth {veth}");
        // Its address, route and the network's view of it.
        env.berth(["exec", &server, "ip", "-4", "addr", "show", "eth0"])
            .assert_success()
            .stdout_contains("inet 10.151.0.10/24");
        env.berth(["exec", &server, "ip", "route"])
            .assert_success()
            .stdout_contains("default via 10.151.0.1");
        env.berth([
            "network",
            "inspect",
            "--format",
            "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}",
            &a,
        ])
        .assert_success()
        .stdout_is(&format!("{server} 10.151.0.10/24\n"));
        env.berth([
            "inspect",
            "--format",
            &format!(
                "{{{{.NetworkSettings.IPAddress}}}}/{{{{.NetworkSettings.IPPrefixLen}}}} {{{{(index .NetworkSettings.Networks \"{a}\").Gateway}}}}"
            ),
            &server,
        ])
        .assert_success()
        .stdout_is("10.151.0.10/24 10.151.0.1\n");
        // The address is taken.
        env.berth([
            "run",
            "--rm",
            "--network",
            &a,
            "--ip",
            "10.151.0.10",
            "busybox",
            "true",
        ])
        .assert_error()
        .stderr_contains("already in use");
        // Same network: reachable. Another network: not (busybox ping needs CAP_NET_RAW, which
        // containers lack, so nc it is).
        // Not the last command: sh would exec it as PID 1, which SIGTERM cannot end.
        let client = "timeout 3 nc 10.151.0.10 80 </dev/null; exit $?";
        let start = std::time::Instant::now();
        loop {
            let out = env
                .berth([
                    "run",
                    "--rm",
                    "--network",
                    &a,
                    "busybox",
                    "sh",
                    "-c",
                    client,
                ])
                .run();
            if out.code == Some(0) && out.stdout == "hello\n" {
                break;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(15),
                "no answer from the server on the same network: {out:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let out = env
            .berth([
                "run",
                "--rm",
                "--network",
                &b,
                "busybox",
                "sh",
                "-c",
                client,
            ])
            .run();
        assert_ne!(out.code, Some(0), "reached across networks: {out:?}");
        assert!(
            !out.stdout.contains("hello"),
            "reached across networks: {out:?}"
        );
        // An internal network has no route out.
        env.berth(["run", "--rm", "--network", &inner, "busybox", "ip", "route"])
            .assert_success()
            .stdout_lacks("default");
        let inner_table = format!("berth-{}", &bridge_of(env, &inner)[3..]);
        env.command("nft", ["list", "table", "inet", &inner_table])
            .assert_success()
            .stdout_lacks("masquerade")
            .stdout_contains("drop");
        // A published port answers from the host, on 127.0.0.1 too, through nftables DNAT in
        // the container's own table, which goes when the container does.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let web = env.name("web");
        env.berth([
            "run",
            "-d",
            "--name",
            &web,
            "--network",
            &a,
            "-p",
            &format!("{port}:80"),
            "busybox",
            "sh",
            "-c",
            "while true; do echo hello | nc -l -p 80; done",
        ])
        .assert_success();
        env.berth(["port", &web])
            .assert_success()
            .stdout_is(&format!("80/tcp -> 0.0.0.0:{port}\n"));
        let start = std::time::Instant::now();
        loop {
            use std::io::Read as _;
            let mut got = String::new();
            let answer = std::net::TcpStream::connect(("127.0.0.1", port)).and_then(|mut s| {
                s.set_read_timeout(Some(std::time::Duration::from_secs(3)))?;
                s.read_to_string(&mut got)
            });
            if answer.is_ok() && got == "hello\n" {
                break;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(15),
                "no answer on 127.0.0.1:{port}: {answer:?} {got:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let web_id = env
            .berth(["inspect", "--format", "{{.Id}}", &web])
            .assert_success()
            .trimmed()
            .to_string();
        let port_table = format!("berth-c-{}", &web_id[..12]);
        env.command("nft", ["list", "table", "ip", &port_table])
            .assert_success()
            .stdout_contains(&format!("dport {port} dnat to"));
        env.berth(["rm", "-f", &web]).assert_success();
        env.command("nft", ["list", "table", "ip", &port_table])
            .assert_exit(1);
        // A container that ends by itself takes its ports' table with it.
        let once = env.name("once");
        env.berth([
            "run",
            "--name",
            &once,
            "--network",
            &a,
            "-p",
            &format!("{port}:80"),
            "busybox",
            "true",
        ])
        .assert_success();
        let once_id = env
            .berth(["inspect", "--format", "{{.Id}}", &once])
            .assert_success()
            .trimmed()
            .to_string();
        env.command(
            "nft",
            [
                "list",
                "table",
                "ip",
                &format!("berth-c-{}", &once_id[..12]),
            ],
        )
        .assert_exit(1);
        env.berth(["rm", &once]).assert_success();
        env.berth([
            "run",
            "--rm",
            "--network",
            &a,
            "-p",
            "[::1]:8080:80",
            "busybox",
            "true",
        ])
        .assert_error()
        .stderr_contains("IPv4");
        // A network with containers is not removed without -f.
        env.berth(["network", "rm", &a])
            .assert_error()
            .stderr_contains(&server);
        // rm frees the address, and the veth went with the container.
        env.berth(["rm", "-f", &server]).assert_success();
        // The kernel destroys a dead namespace's interfaces a moment later; rm deletes it too.
        let start = std::time::Instant::now();
        while iface_exists(&veth) {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "host veth {veth} left behind"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        env.berth(["network", "inspect", "--format", "{{len .Containers}}", &a])
            .assert_success()
            .stdout_is("0\n");
        env.berth(["network", "rm", &a]).assert_success();
        assert!(!iface_exists(&bridge), "bridge {bridge} left behind");
        env.command("nft", ["list", "table", "inet", &table])
            .assert_exit(1);
        env.berth(["run", "--rm", "--network", "nope", "busybox", "true"])
            .assert_error()
            .stderr_contains("not found");
        env.berth(["run", "--rm", "--ip", "10.1.1.1", "busybox", "true"])
            .assert_error()
            .stderr_contains("--ip needs");
    }
);

both_modes!(twenty_parallel_creates_get_twenty_addresses, |env| {
    env.load(fixtures::busybox());
    let mut g = NetworkGuard::new(env);
    let app = g.name("app");
    env.berth(["network", "create", "--subnet", "10.154.0.0/24", &app])
        .assert_success();
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..20)
            .map(|_| {
                let app = app.clone();
                s.spawn(move || {
                    env.berth(["create", "--network", &app, "busybox", "true"])
                        .assert_success()
                })
            })
            .collect();
        for r in runs {
            r.join().unwrap();
        }
    });
    let out = env
        .berth([
            "network",
            "inspect",
            "--format",
            "{{range .Containers}}{{.IPv4Address}}\n{{end}}",
            &app,
        ])
        .assert_success();
    let ips: BTreeSet<&str> = out.lines().into_iter().filter(|l| !l.is_empty()).collect();
    assert_eq!(ips.len(), 20, "{}", out.stdout);
    // network rm -f removes the containers too, and frees every address.
    env.berth(["network", "rm", "-f", &app]).assert_success();
    env.berth(["ps", "-aq"]).assert_success().stdout_empty();
});

both_modes!(name_options_shape_hosts_and_resolv_conf, |env| {
    env.load(fixtures::busybox());
    let name = env.name("named");
    let out = env
        .berth(["run", "--rm", "--name", &name, "--hostname", "h1"])
        .args(["--dns", "10.0.0.53", "--dns", "fd00::53"])
        .args(["--dns-search", "corp", "--dns-option", "ndots:2"])
        .args(["--add-host", "db2:10.1.2.3", "--add-host", "six:[fd00::2]"])
        .args(["busybox", "cat", "/etc/resolv.conf", "/etc/hosts"])
        .assert_success();
    assert_eq!(
        out.stdout,
        format!(
            "search corp\nnameserver 10.0.0.53\nnameserver fd00::53\noptions ndots:2\n\
             127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n\
             10.1.2.3\tdb2\nfd00::2\tsix\n127.0.1.1\th1 {name}\n"
        )
    );
    // --network none reaches no host: host-gateway is refused, and nothing is left.
    env.berth(["create", "--add-host", "gw:host-gateway", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("host-gateway needs a network that reaches the host");
    env.berth(["create", "--add-host", "gw", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid --add-host \"gw\"");
    env.berth(["create", "--dns", "dns.example", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid --dns \"dns.example\": expected an IP address");
    env.berth(["create", "--network-alias", "x", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains(
            "--network-alias is supported only for containers on a network of your own",
        );
    env.berth(["ps", "-aq"]).assert_success().stdout_empty();

    // --network host: the host's files, with the options over them.
    let host_hosts = std::fs::read_to_string("/etc/hosts").unwrap();
    let out = env
        .berth(["run", "--rm", "--network", "host", "--dns", "10.0.0.53"])
        .args(["--add-host", "gw:host-gateway", "busybox"])
        .args(["cat", "/etc/resolv.conf", "/etc/hosts"])
        .assert_success();
    let mut want = String::from("nameserver 10.0.0.53\n");
    want.push_str(&host_hosts);
    if !want.ends_with('\n') {
        want.push('\n');
    }
    want.push_str("127.0.0.1\tgw\n");
    assert_eq!(out.stdout, want);

    // inspect shows what was asked.
    let c = env.name("insp");
    env.berth([
        "create",
        "--name",
        &c,
        "--dns",
        "10.0.0.53",
        "--dns-search",
        "corp",
    ])
    .args([
        "--dns-option",
        "ndots:2",
        "--add-host",
        "db2:10.1.2.3",
        "busybox",
        "true",
    ])
    .assert_success();
    env.berth([
        "inspect",
        "-f",
        "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}",
        &c,
    ])
    .assert_success()
    .stdout_is("[\"10.0.0.53\"] [\"corp\"] [\"ndots:2\"] [\"db2:10.1.2.3\"]\n");
    env.berth(["rm", &c]).assert_success();
});

/// The default route's gateway of the host, which pasta maps to the host.
fn host_default_gateway() -> Option<std::net::Ipv4Addr> {
    let t = std::fs::read_to_string("/proc/net/route").ok()?;
    berth::net::hosts::default_gateway(&t)
}

both_modes!(the_host_is_host_containers_internal, |env| {
    // It uses the default network's bridge.
    let _bridge = env.default_bridge_if_root();
    env.load(fixtures::busybox());
    if env.rootless() {
        crate::require!(Need::Tool("pasta"), Need::UserDevice("/dev/net/tun"));
        let Some(gw) = host_default_gateway() else {
            assert!(
                !crate::support::require_strict(),
                "needs a default route on the host"
            );
            eprintln!("skipped: needs a default route on the host");
            return;
        };
        env.berth([
            "run",
            "--rm",
            "--network",
            "pasta",
            "--add-host",
            "gw:host-gateway",
        ])
        .args(["busybox", "cat", "/etc/hosts"])
        .assert_success()
        .stdout_contains(&format!("{gw}\tgw\n"))
        .stdout_contains(&format!(
            "{gw}\thost.containers.internal host.docker.internal\n"
        ));
        // And the name reaches a server on the host (pasta maps its gateway to the host's
        // loopback). Debian 12's pasta may repeat the bytes and not pass the close on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            use std::io::Write as _;
            if let Ok((mut s, _)) = listener.accept() {
                let _ = s.write_all(b"from-host");
            }
        });
        let out = env
            .berth(["run", "--rm", "--network", "pasta", "busybox", "sh", "-c"])
            .arg(format!(
                "timeout 3 nc host.containers.internal {port} </dev/null; true"
            ))
            .assert_success();
        assert!(
            out.stdout.starts_with("from-host") && out.stdout.replace("from-host", "").is_empty(),
            "{:?}",
            out.stdout
        );
        server.join().unwrap();
        return;
    }
    let mut g = NetworkGuard::new(env);
    let app = g.name("app");
    env.berth(["network", "create", "--subnet", "10.161.0.0/24", &app])
        .assert_success();
    let c = env.name("c");
    let out = env
        .berth([
            "run",
            "--rm",
            "--name",
            &c,
            "--network",
            &app,
            "--ip",
            "10.161.0.7",
        ])
        .args(["--add-host", "gw:host-gateway", "busybox"])
        .args(["cat", "/etc/hosts", "/etc/resolv.conf"])
        .assert_success();
    assert!(out.stdout.contains("10.161.0.1\tgw\n"), "{}", out.stdout);
    // The container's own line: its address, its hostname (the short id) and its name.
    assert!(
        out.lines()
            .iter()
            .any(|l| l.starts_with("10.161.0.7\t") && l.ends_with(&format!(" {c}"))),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("10.161.0.1\thost.containers.internal host.docker.internal\n"),
        "{}",
        out.stdout
    );
    // The network's DNS server is the container's only nameserver.
    assert!(
        out.stdout.ends_with("nameserver 10.161.0.1\n"),
        "{}",
        out.stdout
    );
    // The default network has no name DNS: the host's nameservers.
    let out = env
        .berth([
            "run",
            "--rm",
            "--network",
            "bridge",
            "busybox",
            "cat",
            "/etc/resolv.conf",
        ])
        .assert_success();
    assert!(
        !out.stdout.contains("nameserver 10.88.0.1"),
        "{}",
        out.stdout
    );

    // A server on the host answers through host.containers.internal.
    let listener = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        use std::io::Write as _;
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(b"from-the-host\n").unwrap();
    });
    env.berth(["run", "--rm", "--network", &app, "busybox", "timeout", "10"])
        .args(["nc", "host.containers.internal", &port.to_string()])
        .assert_success()
        .stdout_is("from-the-host\n");
    server.join().unwrap();
});

/// True when a socket of `proto` (udp, tcp) is bound to `ip`:53 in the host's namespace.
fn dns_bound(proto: &str, ip: std::net::Ipv4Addr) -> bool {
    let want = format!("{:08X}:0035", u32::from_le_bytes(ip.octets()));
    std::fs::read_to_string(format!("/proc/net/{proto}"))
        .unwrap()
        .lines()
        .skip(1)
        .any(|l| l.split_whitespace().nth(1) == Some(want.as_str()))
}

both_modes!(containers_find_each_other_by_name_and_alias, |env| {
    env.load(fixtures::busybox());
    let mut g = NetworkGuard::new(env);
    let app = g.name("app");
    env.berth(["network", "create", "--subnet", "10.162.0.0/24", &app])
        .assert_success();
    if env.rootless() {
        env.berth(["run", "--rm", "--network", "pasta", "--network-alias", "x"])
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains("--network-alias is supported only");
        env.berth(["ps", "-aq"]).assert_success().stdout_empty();
        // Rootless networks live in their own namespace: tests/it/rootless_networks.rs.
        return;
    }
    let gw: std::net::Ipv4Addr = "10.162.0.1".parse().unwrap();
    let db = env.name("db");
    let sleeper = ["busybox", "sleep", "300"];
    env.berth(["run", "-d", "--name", &db, "--network", &app])
        .args(["--ip", "10.162.0.10", "busybox", "sh", "-c"])
        .arg("while true; do echo hello | nc -l -p 80; done")
        .assert_success();
    // The first container started the network's DNS server, on its gateway.
    assert!(dns_bound("udp", gw), "no DNS server on {gw}:53/udp");
    assert!(dns_bound("tcp", gw), "no DNS server on {gw}:53/tcp");
    let mut searchers = Vec::new();
    for ip in ["10.162.0.11", "10.162.0.12"] {
        let id = env
            .berth(["run", "-d", "--network", &app, "--ip", ip])
            .args(["--network-alias", "search"])
            .args(sleeper)
            .assert_success()
            .trimmed()
            .to_string();
        searchers.push(id);
    }
    let lookup = |name: &str| {
        env.berth(["run", "--rm", "--network", &app, "busybox"])
            .args(["nslookup", "-type=a", name])
            .run()
    };
    let out = lookup(&db);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout.contains("Address: 10.162.0.10"),
        "{}",
        out.stdout
    );
    // Real traffic by name.
    env.berth(["run", "--rm", "--network", &app, "busybox"])
        .args(["timeout", "10", "nc", &db, "80"])
        .assert_success()
        .stdout_is("hello\n");
    // By short id too.
    let out = lookup(&searchers[0][..12]);
    assert!(
        out.stdout.contains("Address: 10.162.0.11"),
        "{}",
        out.stdout
    );
    // The alias: both addresses, in turn.
    let firsts: BTreeSet<String> = (0..2)
        .map(|_| {
            let out = lookup("search");
            assert!(
                out.stdout.contains("Address: 10.162.0.11"),
                "{}",
                out.stdout
            );
            assert!(
                out.stdout.contains("Address: 10.162.0.12"),
                "{}",
                out.stdout
            );
            out.lines()
                .iter()
                .find(|l| l.starts_with("Address: 10.162.0.1") && !l.contains(":53"))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(firsts.len(), 2, "round robin: {firsts:?}");
    // An unknown name: NXDOMAIN at once.
    let started = std::time::Instant::now();
    let out = lookup("nothere");
    assert_ne!(out.code, Some(0), "{}", out.stdout);
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("NXDOMAIN"),
        "{} {}",
        out.stdout,
        out.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // The alias is recorded.
    env.berth([
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{app}\").Aliases}}}}"),
        &searchers[0],
    ])
    .assert_success()
    .stdout_is("[\"search\"]\n");

    // Other names go to the querying container's --dns servers (here a stub on the host).
    let stub = std::net::UdpSocket::bind("127.0.0.77:53").unwrap();
    let stub_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        let (n, from) = stub.recv_from(&mut buf).unwrap();
        stub.send_to(&stub_answer(&buf[..n], [192, 0, 2, 7]), from)
            .unwrap();
    });
    let out = env
        .berth([
            "run",
            "--rm",
            "--network",
            &app,
            "--dns",
            "127.0.0.77",
            "busybox",
        ])
        .args(["nslookup", "-type=a", "example.test"])
        .assert_success();
    assert!(out.stdout.contains("Address: 192.0.2.7"), "{}", out.stdout);
    stub_thread.join().unwrap();

    // A stopped container is no longer answered.
    env.berth(["rm", "-f", &searchers[1]]).assert_success();
    let out = lookup("search");
    assert!(!out.stdout.contains("10.162.0.12"), "{}", out.stdout);

    // After the last container goes, so does the server.
    env.berth(["rm", "-f", &db, &searchers[0]]).assert_success();
    let started = std::time::Instant::now();
    while dns_bound("udp", gw) || dns_bound("tcp", gw) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the DNS server of {app} outlived its containers"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
});

/// A stub upstream's answer to `query`: its question with one A record, `addr`.
fn stub_answer(query: &[u8], addr: [u8; 4]) -> Vec<u8> {
    let mut end = 12;
    while query[end] != 0 {
        end += usize::from(query[end]) + 1;
    }
    end += 5;
    let mut a = query[..2].to_vec();
    a.extend([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    a.extend(&query[12..end]);
    a.extend([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4]);
    a.extend(addr);
    a
}

both_modes!(connect_and_disconnect_a_container, |env| {
    // It uses the default network's bridge.
    let _bridge = env.default_bridge_if_root();
    env.load(fixtures::busybox());
    let mut g = NetworkGuard::new(env);
    let (front, back) = (g.name("front"), g.name("back"));
    env.berth(["network", "create", "--subnet", "10.163.0.0/24", &front])
        .assert_success();
    env.berth(["network", "create", "--subnet", "10.164.0.0/24", &back])
        .assert_success();
    let c = env.name("c");
    if env.rootless() {
        // Rootless networks live in their own namespace: tests/it/rootless_networks.rs.
        return;
    }
    let srv = env.name("srv");
    env.berth(["run", "-d", "--name", &srv, "--network", &back])
        .args(["--ip", "10.164.0.10", "busybox", "sh", "-c"])
        .arg("while true; do echo hello | nc -l -p 80; done")
        .assert_success();
    env.berth(["run", "-d", "--name", &c, "--network", &front])
        .args(["busybox", "sleep", "300"])
        .assert_success();
    let reach = || {
        env.berth(["exec", &c, "timeout", "3", "nc", "10.164.0.10", "80"])
            .run()
    };
    assert_ne!(
        reach().stdout,
        "hello\n",
        "reached another network unconnected"
    );

    env.berth([
        "network",
        "connect",
        "--alias",
        "store",
        "--ip",
        "10.164.0.50",
    ])
    .args([&back, &c])
    .assert_success();
    env.berth(["exec", &c, "ip", "-4", "addr", "show", "eth1"])
        .assert_success()
        .stdout_contains("10.164.0.50/24");
    assert_eq!(reach().stdout, "hello\n");
    // Its name and alias on the new network.
    for name in [c.as_str(), "store"] {
        env.berth(["run", "--rm", "--network", &back, "busybox"])
            .args(["nslookup", "-type=a", name])
            .assert_success()
            .stdout_contains("Address: 10.164.0.50");
    }
    env.berth([
        "inspect",
        "-f",
        &format!(
            "{{{{(index .NetworkSettings.Networks \"{back}\").IPAddress}}}} {{{{json (index .NetworkSettings.Networks \"{back}\").Aliases}}}}"
        ),
        &c,
    ])
    .assert_success()
    .stdout_is("10.164.0.50 [\"store\"]\n");
    env.berth(["network", "connect", &back, &c])
        .assert_exit(125)
        .stderr_contains("already connected");
    env.berth(["network", "disconnect", &front, &c])
        .assert_exit(125)
        .stderr_contains("cannot be disconnected");

    // disconnect: the interface, the route and the address go.
    env.berth(["network", "disconnect", &back, &c])
        .assert_success();
    env.berth(["exec", &c, "test", "-e", "/sys/class/net/eth1"])
        .assert_exit(1);
    assert_ne!(reach().stdout, "hello\n");
    env.berth(["network", "inspect", "-f", "{{len .Containers}}", &back])
        .assert_success()
        .stdout_is("1\n");
    env.berth(["network", "disconnect", &back, &c])
        .assert_exit(125)
        .stderr_contains("is not connected");

    // A stopped container gets the network at its next start.
    let d = env.name("d");
    env.berth(["create", "--name", &d, "--network", &front, "busybox"])
        .args(["ip", "-4", "addr", "show", "eth1"])
        .assert_success();
    env.berth(["network", "connect", "--ip", "10.164.0.60", &back, &d])
        .assert_success();
    env.berth(["start", "-a", &d])
        .assert_success()
        .stdout_contains("10.164.0.60/24");
    let d_id = env
        .berth(["inspect", "-f", "{{.Id}}", &d])
        .assert_success()
        .trimmed()
        .to_string();
    // A running container on the default network (no name DNS) connected to one with it gets
    // its server as nameserver at once, and loses it again at disconnect.
    let e = env.name("e");
    env.berth(["run", "-d", "--name", &e, "--network", "bridge", "busybox"])
        .args(["sleep", "300"])
        .assert_success();
    env.berth(["network", "connect", &back, &e])
        .assert_success();
    env.berth(["exec", &e, "cat", "/etc/resolv.conf"])
        .assert_success()
        .stdout_is("nameserver 10.164.0.1\n");
    env.berth(["exec", &e, "nslookup", "-type=a", &srv])
        .assert_success()
        .stdout_contains("Address: 10.164.0.10");
    env.berth(["network", "disconnect", &back, &e])
        .assert_success();
    env.berth(["exec", &e, "cat", "/etc/resolv.conf"])
        .assert_success()
        .stdout_lacks("10.164.0.1");
    env.berth(["rm", "-f", &e]).assert_success();
    env.berth(["network", "connect", &back, &c])
        .assert_success();
    let c_id = env
        .berth(["inspect", "-f", "{{.Id}}", &c])
        .assert_success()
        .trimmed()
        .to_string();

    // rm -f leaves no veth and no address behind.
    env.berth(["rm", "-f", &c, &d, &srv]).assert_success();
    for id in [&c_id, &d_id] {
        let leftover: Vec<String> = std::fs::read_dir("/sys/class/net")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.contains(&id[..7]))
            .collect();
        assert!(leftover.is_empty(), "veths left: {leftover:?}");
    }
    for net in [&front, &back] {
        env.berth(["network", "inspect", "-f", "{{len .Containers}}", net])
            .assert_success()
            .stdout_is("0\n");
    }
});

both_modes!(parallel_first_starts_share_one_dns_server, |env| {
    env.load(fixtures::busybox());
    let mut g = NetworkGuard::new(env);
    let app = g.name("app");
    env.berth(["network", "create", "--subnet", "10.165.0.0/24", &app])
        .assert_success();
    if env.rootless() {
        // Rootless networks live in their own namespace: tests/it/rootless_networks.rs.
        return;
    }
    // Six first starts at once: one of them starts the server (a second could not bind), and
    // none fails.
    let names: Vec<String> = (0..6).map(|i| env.name(&format!("p{i}"))).collect();
    let app_ref = app.as_str();
    std::thread::scope(|s| {
        let runs: Vec<_> = names
            .iter()
            .map(|n| {
                s.spawn(move || {
                    env.berth(["run", "-d", "--name", n, "--network", app_ref])
                        .args(["busybox", "sleep", "300"])
                        .assert_success()
                })
            })
            .collect();
        for r in runs {
            r.join().unwrap();
        }
    });
    for n in &names {
        env.berth(["run", "--rm", "--network", &app, "busybox"])
            .args(["nslookup", "-type=a", n])
            .assert_success()
            .stdout_contains("Address: 10.165.0.");
    }
    let mut rm = vec!["rm".to_string(), "-f".to_string()];
    rm.extend(names.iter().cloned());
    env.berth(rm).assert_success();
    let gw: std::net::Ipv4Addr = "10.165.0.1".parse().unwrap();
    let started = std::time::Instant::now();
    while dns_bound("udp", gw) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the DNS server outlived its containers"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
});

both_modes!(mac_address_sets_the_containers_interface, |env| {
    // It uses the default network's bridge.
    let _bridge = env.default_bridge_if_root();
    let _g = NetworkGuard::new(env);
    env.load(fixtures::busybox());
    env.berth([
        "create",
        "--mac-address",
        "01:00:5e:00:00:01",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("invalid --mac-address \"01:00:5e:00:00:01\": it is a multicast address");
    env.berth([
        "create",
        "--mac-address",
        "92:d0:c6:0a:29:33",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("--mac-address needs a bridge network");
    env.berth(["ps", "-aq"]).assert_success().stdout_empty();
    let name = env.name("mac");
    env.berth(["run", "--name", &name, "--network", "bridge"])
        .args(["--mac-address", "92:d0:c6:0a:29:33", "busybox"])
        .args(["cat", "/sys/class/net/eth0/address"])
        .assert_success()
        .stdout_is("92:d0:c6:0a:29:33\n");
    env.berth(["inspect", "-f", "{{.NetworkSettings.MacAddress}}", &name])
        .assert_success()
        .stdout_is("92:d0:c6:0a:29:33\n");
    env.berth(["rm", &name]).assert_success();
});

both_modes!(a_network_table_deleted_by_hand_is_made_again, |env| {
    env.load(fixtures::busybox());
    let mut g = NetworkGuard::new(env);
    let net = g.name("rules");
    env.berth(["network", "create", "--subnet", "10.166.0.0/24", &net])
        .assert_success();
    if env.rootless() {
        // Rootless networks keep their tables in the holder's namespace.
        return;
    }
    env.berth(["run", "--rm", "--network", &net, "busybox", "true"])
        .assert_success();
    let bridge = bridge_of(env, &net);
    let table = format!("berth-{}", &bridge[3..]);
    env.command("nft", ["list", "table", "inet", &table])
        .assert_success();
    // A start finds the table there and leaves it; one deleted behind berth's back (a firewall
    // reload) comes back with the next start, before that container's traffic flows.
    env.command("nft", ["delete", "table", "inet", &table])
        .assert_success();
    env.berth(["run", "--rm", "--network", &net, "busybox", "true"])
        .assert_success();
    let rules = env
        .command("nft", ["list", "table", "inet", &table])
        .assert_success();
    assert!(rules.stdout.contains("masquerade"), "{}", rules.stdout);
});
