//! Rootless user-defined networks (`network create NAME` and `--network NAME` as a user): the
//! containers join the user's network namespace holder, get addresses on the network's bridge,
//! reach each other by address and name and the host through pasta, are connected to more
//! networks and disconnected again, publish TCP and UDP ports, and what is not done yet (their
//! own user namespace shapes) is refused with a clear error. Rootless only: the root half of these
//! behaviours is `networks.rs`'s.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::support::{Mode, Need, TestEnv, fixtures, run_test};

/// A test run only rootless (as the test user under root, in CI's unprivileged pass as is).
macro_rules! rootless_only {
    ($name:ident, |$env:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($env: &TestEnv) $body

            #[test]
            fn rootless() {
                run_test(Mode::Rootless, module_path!(), body)
            }
        }
    };
}

/// What every test here needs besides the test user.
fn prerequisites() -> bool {
    for need in [
        Need::SubUid,
        Need::Tool("pasta"),
        Need::Tool("nft"),
        Need::UserDevice("/dev/net/tun"),
    ] {
        if !crate::support::require(need) {
            return false;
        }
    }
    true
}

/// Removes the test's containers (and with them its networks' users), then its networks, and
/// waits until the holder of the rootless networks has gone: nothing a test started outlives it.
struct Cleanup<'a> {
    env: &'a TestEnv,
    networks: Vec<String>,
}

impl<'a> Cleanup<'a> {
    fn new(env: &'a TestEnv) -> Cleanup<'a> {
        Cleanup {
            env,
            networks: Vec::new(),
        }
    }

    /// Creates a network with `subnet`, removed at the end.
    fn network(&mut self, prefix: &str, subnet: &str) -> String {
        let n = self.env.name(prefix);
        self.env
            .berth(["network", "create", "--subnet", subnet, &n])
            .assert_success();
        self.networks.push(n.clone());
        n
    }
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let ids = self.env.berth(["ps", "-aq"]).run();
        let ids: Vec<&str> = ids.stdout.split_whitespace().collect();
        if !ids.is_empty() {
            let _ = self.env.berth(["rm", "-f"]).args(&ids).run();
        }
        for n in &self.networks {
            let _ = self.env.berth(["network", "rm", "-f", n]).run();
        }
        let gone = holder_gone(self.env, Duration::from_secs(30));
        if !std::thread::panicking() {
            assert!(
                gone,
                "the rootless networks' holder outlived its containers"
            );
        }
    }
}

/// The holder's pid, if its pid file names a live process.
fn holder_pid(env: &TestEnv) -> Option<i32> {
    let text = std::fs::read_to_string(env.runroot.join("rootless-netns/pid")).ok()?;
    let pid: i32 = text.split_whitespace().next()?.parse().ok()?;
    std::path::Path::new(&format!("/proc/{pid}"))
        .exists()
        .then_some(pid)
}

/// Waits up to `limit` for the holder and its pasta to end.
fn holder_gone(env: &TestEnv, limit: Duration) -> bool {
    let pasta_pid = std::fs::read_to_string(env.runroot.join("rootless-netns/pasta.pid"))
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok());
    let started = Instant::now();
    loop {
        let pasta_alive = pasta_pid.is_some_and(|p| {
            std::fs::read_to_string(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| c.contains("rootless-netns"))
        });
        if holder_pid(env).is_none() && !pasta_alive {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Container `c`'s address on its networks, as inspect shows it.
fn address(env: &TestEnv, c: &str) -> String {
    env.berth([
        "inspect",
        "--format",
        "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
        c,
    ])
    .assert_success()
    .trimmed()
    .to_string()
}

rootless_only!(containers_on_a_rootless_network_reach_each_other, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.171.0.0/24");
    let (a, b) = (env.name("a"), env.name("b"));
    for c in [&a, &b] {
        env.berth(["run", "-d", "--name", c, "--network", &app, "busybox"])
            .args(["sh", "-c"])
            .arg(format!(
                "while true; do echo hello-from-{c} | nc -l -p 80; done"
            ))
            .assert_success();
    }
    let (ip_a, ip_b) = (address(env, &a), address(env, &b));
    for ip in [&ip_a, &ip_b] {
        assert!(ip.starts_with("10.171.0."), "{ip:?}");
    }
    assert_ne!(ip_a, ip_b);
    // The network's gateway and prefix, as Docker shows them.
    env.berth([
        "inspect",
        "--format",
        "{{.NetworkSettings.Gateway}}/{{.NetworkSettings.IPPrefixLen}}",
        &a,
    ])
    .assert_success()
    .stdout_is("10.171.0.1/24\n");
    env.berth([
        "network",
        "inspect",
        "--format",
        "{{len .Containers}}",
        &app,
    ])
    .assert_success()
    .stdout_is("2\n");
    // exec joins the container (its user namespace is the holder's): the address is there.
    env.berth(["exec", &a, "ip", "-4", "addr", "show", "eth0"])
        .assert_success()
        .stdout_contains(&format!("inet {ip_a}/24"));
    // Both ways, between running containers and from a new one.
    env.berth(["exec", &a, "timeout", "5", "nc", &ip_b, "80"])
        .assert_success()
        .stdout_is(&format!("hello-from-{b}\n"));
    env.berth(["exec", &b, "timeout", "5", "nc", &ip_a, "80"])
        .assert_success()
        .stdout_is(&format!("hello-from-{a}\n"));
    env.berth(["run", "--rm", "--network", &app, "busybox"])
        .args(["timeout", "5", "nc", &ip_a, "80"])
        .assert_success()
        .stdout_is(&format!("hello-from-{a}\n"));
    // Another container may join one's network namespace (and so the holder's user namespace).
    env.berth([
        "run",
        "--rm",
        "--network",
        &format!("container:{a}"),
        "busybox",
    ])
    .args(["ip", "-4", "addr", "show", "eth0"])
    .assert_success()
    .stdout_contains(&format!("inet {ip_a}/24"));
    // Each container has a user namespace other than the user's: the holder's, one for all.
    let userns = |c: &str| {
        env.berth(["exec", c, "readlink", "/proc/self/ns/user"])
            .assert_success()
            .trimmed()
            .to_string()
    };
    assert_eq!(userns(&a), userns(&b));
    let mine = std::fs::read_link("/proc/self/ns/user").unwrap();
    assert_ne!(userns(&a), mine.display().to_string());
    // The container is root in it, mapped to the user, with the user's subordinate ids.
    env.berth(["exec", &a, "cat", "/proc/self/uid_map"])
        .assert_success()
        .stdout_contains("         0 ");

    // A second network is a second bridge: no traffic across.
    let other = g.network("other", "10.172.0.0/24");
    let out = env
        .berth(["run", "--rm", "--network", &other, "busybox", "sh", "-c"])
        // Not PID 1: a PID 1 ignores timeout's SIGTERM, and a dropped SYN waits for minutes.
        .arg(format!("timeout 3 nc {ip_a} 80; true"))
        .run();
    assert!(!out.stdout.contains("hello"), "{}", out.stdout);

    // The holder stays while containers run, and goes after the last.
    let holder = holder_pid(env).expect("the holder runs while containers are on the network");
    env.berth(["rm", "-f", &a, &b]).assert_success();
    assert!(
        holder_gone(env, Duration::from_secs(30)),
        "holder {holder} outlived the containers"
    );
    // A stale pid file (a holder killed) is not trusted: the next start makes a new holder.
    std::fs::write(env.runroot.join("rootless-netns/pid"), "1 1\n").unwrap();
    env.berth(["run", "--rm", "--network", &app, "busybox"])
        .args(["ip", "-4", "addr", "show", "eth0"])
        .assert_success()
        .stdout_contains("inet 10.171.0.");
});

rootless_only!(names_resolve_on_a_rootless_network, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.173.0.0/24");
    let db = env.name("db");
    env.berth(["run", "-d", "--name", &db, "--network", &app, "busybox"])
        .args(["sh", "-c"])
        .arg("mkdir /www && echo hello-from-db > /www/index.html && exec httpd -f -p 80 -h /www")
        .assert_success();
    // Issue 7's example, by name, through berth's DNS server on the gateway.
    env.berth(["run", "--rm", "--network", &app, "busybox"])
        .args(["wget", "-qO-", &format!("http://{db}/")])
        .assert_success()
        .stdout_is("hello-from-db\n");
    env.berth(["run", "--rm", "--network", &app, "busybox"])
        .args(["cat", "/etc/resolv.conf"])
        .assert_success()
        .stdout_contains("nameserver 10.173.0.1\n");
    // An alias of two containers: both addresses, in turn.
    let mut ips = BTreeSet::new();
    for _ in 0..2 {
        let id = env
            .berth(["run", "-d", "--network", &app, "--network-alias", "search"])
            .args(["busybox", "sleep", "300"])
            .assert_success()
            .trimmed()
            .to_string();
        ips.insert(address(env, &id));
    }
    let lookup = || {
        env.berth(["run", "--rm", "--network", &app, "busybox"])
            .args(["nslookup", "-type=a", "search"])
            .assert_success()
    };
    let mut firsts = BTreeSet::new();
    for _ in 0..2 {
        let out = lookup();
        for ip in &ips {
            assert!(
                out.stdout.contains(&format!("Address: {ip}")),
                "{}",
                out.stdout
            );
        }
        let first = out
            .lines()
            .iter()
            .find(|l| l.starts_with("Address: 10.173.0.") && !l.contains(":53"))
            .unwrap()
            .to_string();
        firsts.insert(first);
    }
    assert_eq!(firsts.len(), 2, "round robin: {firsts:?}");
});

/// The default route's gateway of the host, which pasta maps to the host.
fn host_default_gateway() -> Option<std::net::Ipv4Addr> {
    let t = std::fs::read_to_string("/proc/net/route").ok()?;
    berth::net::hosts::default_gateway(&t)
}

rootless_only!(rootless_networks_reach_the_host_through_pasta, |env| {
    if !prerequisites() {
        return;
    }
    let Some(gw) = host_default_gateway() else {
        assert!(
            !crate::support::require_strict(),
            "needs a default route on the host"
        );
        eprintln!("skipped: needs a default route on the host");
        return;
    };
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.174.0.0/24");
    env.berth([
        "run",
        "--rm",
        "--network",
        &app,
        "busybox",
        "cat",
        "/etc/hosts",
    ])
    .assert_success()
    .stdout_contains(&format!(
        "{gw}\thost.containers.internal host.docker.internal\n"
    ));
    // A server on the host's loopback answers (masqueraded out of the bridge, then pasta).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        use std::io::{Read as _, Write as _};
        if let Ok((mut s, from)) = listener.accept() {
            let _ = s.write_all(b"from-host\n");
            let mut rest = Vec::new();
            let _ = s.read_to_end(&mut rest);
            return Some(from);
        }
        None
    });
    let out = env
        .berth(["run", "--rm", "--network", &app, "busybox", "sh", "-c"])
        .arg(format!(
            "timeout 5 nc host.containers.internal {port} </dev/null; true"
        ))
        .assert_success();
    assert!(out.stdout.starts_with("from-host\n"), "{:?}", out.stdout);
    assert!(server.join().unwrap().is_some());
    // An --internal network reaches nothing outside.
    let inner = env.name("inner");
    env.berth([
        "network",
        "create",
        "--internal",
        "--subnet",
        "10.174.1.0/24",
        &inner,
    ])
    .assert_success();
    g.networks.push(inner.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let out = env
        .berth(["run", "--rm", "--network", &inner, "busybox", "sh", "-c"])
        .arg(format!(
            "timeout 3 nc {gw} {port} </dev/null; ip route; true"
        ))
        .assert_success();
    assert!(!out.stdout.contains("default"), "{}", out.stdout);
    assert!(
        listener.accept().is_err(),
        "an internal network reached the host"
    );
});

rootless_only!(what_rootless_networks_cannot_do_yet_is_refused, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.175.0.0/24");
    env.berth(["run", "--rm", "--network", &app, "-p", "80:80"])
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains("net.ipv4.ip_unprivileged_port_start");
    env.berth(["run", "--rm", "--network", &app, "--userns", "keep-id"])
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains("not supported with rootless networks yet");
    env.berth(["run", "--rm", "--network", &app, "--uidmap", "0:1:1000"])
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains("not supported with rootless networks yet");
    let other = env.name("other");
    env.berth([
        "create",
        "--name",
        &other,
        "--network",
        "none",
        "busybox",
        "true",
    ])
    .assert_success();
    for flag in ["--ipc", "--pid"] {
        env.berth([
            "run",
            "--rm",
            "--network",
            &app,
            flag,
            &format!("container:{other}"),
        ])
        .args(["busybox", "true"])
        .assert_exit(125)
        .stderr_contains("not supported with rootless networks yet");
    }
    env.berth(["rm", &other]).assert_success();
    // Nothing half-made, no address taken.
    env.berth(["ps", "-aq"]).assert_success().stdout_empty();
    env.berth([
        "network",
        "inspect",
        "--format",
        "{{len .Containers}}",
        &app,
    ])
    .assert_success()
    .stdout_is("0\n");
});

rootless_only!(containers_are_connected_and_disconnected_rootless, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let front = g.network("front", "10.176.0.0/24");
    let back = g.network("back", "10.177.0.0/24");
    let (web, db) = (env.name("web"), env.name("db"));
    env.berth(["run", "-d", "--name", &web, "--network", &front])
        .args(["busybox", "sleep", "300"])
        .assert_success();
    env.berth(["run", "-d", "--name", &db, "--network", &back, "busybox"])
        .args([
            "sh",
            "-c",
            "while true; do echo from-db | nc -l -p 80; done",
        ])
        .assert_success();
    let db_ip = address(env, &db);
    let across = |c: &str| {
        env.berth(["exec", c, "sh", "-c"])
            .arg(format!("timeout 3 nc {db_ip} 80; true"))
            .run()
    };
    // Not on back yet: no route to it.
    assert!(!across(&web).stdout.contains("from-db"));
    env.berth(["network", "connect", "--alias", "www", &back, &web])
        .assert_success();
    // A running container gets eth1 with an address on back at once, and reaches db (its
    // names are the first network's DNS server's, as with root).
    env.berth(["exec", &web, "ip", "-4", "addr", "show", "eth1"])
        .assert_success()
        .stdout_contains("inet 10.177.0.");
    let out = across(&web);
    assert_eq!(out.stdout, "from-db\n", "{}", out.stderr);
    // Its alias on back resolves for db.
    env.berth(["exec", &db, "nslookup", "-type=a", "www"])
        .assert_success()
        .stdout_contains("Address: 10.177.0.");
    env.berth([
        "inspect",
        "--format",
        &format!("{{{{(index .NetworkSettings.Networks \"{back}\").IPAddress}}}}"),
        &web,
    ])
    .assert_success()
    .stdout_contains("10.177.0.");
    env.berth(["network", "disconnect", &back, &web])
        .assert_success();
    env.berth(["exec", &web, "ip", "link", "show", "eth1"])
        .assert_exit(2)
        .stderr_contains("can't find device 'eth1'");
    env.berth([
        "network",
        "inspect",
        "--format",
        "{{len .Containers}}",
        &back,
    ])
    .assert_success()
    .stdout_is("1\n");
    // Its own network cannot be taken away, rootless as root.
    env.berth(["network", "disconnect", &front, &web])
        .assert_exit(125)
        .stderr_contains("cannot be disconnected");
    // A stopped container gets the network at its next start.
    env.berth(["stop", "-t", "0", &web]).assert_success();
    env.berth(["network", "connect", &back, &web])
        .assert_success();
    env.berth(["start", &web]).assert_success();
    let out = across(&web);
    assert_eq!(out.stdout, "from-db\n", "{}", out.stderr);
});

/// A TCP port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What an HTTP GET of `/` at `addr` answers (the body), within a few seconds.
fn http_get(addr: &str) -> std::io::Result<String> {
    use std::io::{Read as _, Write as _};
    let started = Instant::now();
    loop {
        let tried = (|| {
            let mut s = std::net::TcpStream::connect(addr)?;
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            s.write_all(b"GET / HTTP/1.0\r\n\r\n")?;
            let mut answer = String::new();
            s.read_to_string(&mut answer)?;
            Ok(answer)
        })();
        match tried {
            Ok(a) if !a.is_empty() => {
                return Ok(a.split("\r\n\r\n").nth(1).unwrap_or("").to_string());
            }
            Ok(_) | Err(_) if started.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(_) => return Ok(String::new()),
            Err(e) => return Err(e),
        }
    }
}

/// The host's address on its default route's interface, if any.
fn host_address() -> Option<std::net::Ipv4Addr> {
    let gw = host_default_gateway()?;
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect((gw, 9)).ok()?;
    match s.local_addr().ok()?.ip() {
        std::net::IpAddr::V4(ip) => Some(ip),
        _ => None,
    }
}

rootless_only!(
    published_ports_reach_containers_on_rootless_networks,
    |env| {
        if !prerequisites() {
            return;
        }
        env.load(fixtures::busybox());
        let mut g = Cleanup::new(env);
        let app = g.network("app", "10.178.0.0/24");
        let (web, port) = (env.name("web"), free_port());
        let udp_port = std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        env.berth(["run", "-d", "--name", &web, "--network", &app])
        .args(["-p", &format!("{port}:80"), "-p", "8000"])
        .args(["-p", &format!("{udp_port}:9000/udp"), "busybox", "sh", "-c"])
        .arg("mkdir /www && echo hello-published > /www/index.html && exec httpd -f -p 80 -h /www")
        .assert_success();
        // Through the host's loopback and its own address.
        assert_eq!(
            http_get(&format!("127.0.0.1:{port}")).unwrap(),
            "hello-published\n"
        );
        if let Some(ip) = host_address() {
            assert_eq!(
                http_get(&format!("{ip}:{port}")).unwrap(),
                "hello-published\n"
            );
        }
        // A random host port for -p 8000, shown by port; another container still reaches the
        // container directly on the network.
        env.berth(["port", &web])
            .assert_success()
            .stdout_contains(&format!("80/tcp -> 0.0.0.0:{port}"))
            .stdout_contains("8000/tcp -> 0.0.0.0:");
        env.berth(["run", "--rm", "--network", &app, "busybox", "wget", "-qO-"])
            .arg(format!("http://{web}/"))
            .assert_success()
            .stdout_is("hello-published\n");
        // UDP: datagrams to the host port arrive in the container (busybox has no UDP server, so
        // they are counted by its kernel as sent to a closed port; replies are the relay's unit
        // test).
        let closed_port_datagrams = || -> u64 {
            let snmp = env
                .berth(["exec", &web, "cat", "/proc/net/snmp"])
                .assert_success();
            let lines: Vec<String> = snmp
                .lines()
                .into_iter()
                .filter(|l| l.starts_with("Udp:"))
                .map(str::to_string)
                .collect();
            let at = lines[0]
                .split_whitespace()
                .position(|f| f == "NoPorts")
                .unwrap();
            lines[1]
                .split_whitespace()
                .nth(at)
                .unwrap()
                .parse()
                .unwrap()
        };
        let before = closed_port_datagrams();
        let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        for _ in 0..3 {
            client.send_to(b"ping", ("127.0.0.1", udp_port)).unwrap();
        }
        let started = Instant::now();
        while closed_port_datagrams() < before + 3 {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the datagrams to {udp_port}/udp did not reach the container"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        // A host port in use is an error naming it, and nothing is left running.
        let (other, taken) = (
            env.name("other"),
            std::net::TcpListener::bind("0.0.0.0:0").unwrap(),
        );
        let taken_port = taken.local_addr().unwrap().port();
        env.berth(["run", "-d", "--name", &other, "--network", &app])
            .args(["-p", &format!("{taken_port}:80"), "busybox", "sleep", "300"])
            .assert_exit(125)
            .stderr_contains(&format!("{taken_port}"));
        drop(taken);
        // Stopped, the port is closed again.
        env.berth(["stop", "-t", "0", &web]).assert_success();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "port {port} still open after stop"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
);

rootless_only!(the_holder_goes_with_its_run_directory, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.179.0.0/24");
    let c = env.name("c");
    env.berth(["run", "-d", "--name", &c, "--network", &app])
        .args(["busybox", "sleep", "300"])
        .assert_success();
    let dir = env.runroot.join("rootless-netns");
    let holder = holder_pid(env).expect("a holder while the container runs");
    let pasta: i32 = std::fs::read_to_string(dir.join("pasta.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    env.berth(["rm", "-f", &c]).assert_success();
    // As when the whole run directory goes (a test's, a reboot's tmpfs, a system reset): no
    // pid file is left to find pasta by, and both still end at once.
    std::fs::remove_dir_all(&dir).unwrap();
    let started = Instant::now();
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
            .is_ok_and(|c| c.contains("rootless-netns"))
    };
    while alive(holder) || alive(pasta) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "holder {holder} or pasta {pasta} outlived their run directory"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
});

rootless_only!(parallel_first_starts_share_one_holder, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.180.0.0/24");
    let db = env.name("db");
    // Six first starts at once, each looking a name up: one holder and one DNS server serve
    // them all, and none fails.
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..6)
            .map(|i| {
                let (app, db) = (app.as_str(), db.as_str());
                s.spawn(move || {
                    let name = if i == 0 {
                        db.to_string()
                    } else {
                        env.name("p")
                    };
                    env.berth(["run", "--rm", "--name", &name, "--network", app, "busybox"])
                        .args([
                            "sh",
                            "-c",
                            "sleep 2; nslookup -type=a $(hostname) >/dev/null",
                        ])
                        .assert_success();
                })
            })
            .collect();
        for r in runs {
            r.join().unwrap();
        }
    });
    let root = env.root.display().to_string();
    let holders = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains("__rootless-netns serve") && c.contains(&root))
        .count();
    assert_eq!(holders, 1, "holders of {root}");
});

rootless_only!(restarts_rejoin_the_rootless_network, |env| {
    if !prerequisites() {
        return;
    }
    env.load(fixtures::busybox());
    let mut g = Cleanup::new(env);
    let app = g.network("app", "10.182.0.0/24");
    // The monitor plans each restart anew: a new network namespace on the same bridge.
    let c = env.name("c");
    env.berth(["run", "-d", "--name", &c, "--network", &app])
        .args(["--restart", "on-failure:2", "busybox", "sh", "-c"])
        .arg("ip -4 addr show eth0 | grep -q 'inet 10.182.0.' && exit 3")
        .assert_success();
    let started = Instant::now();
    loop {
        let out = env
            .berth(["inspect", "--format", "{{.RestartCount}} {{.State.Status}}"])
            .arg(&c)
            .assert_success();
        if out.trimmed() == "2 exited" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "restarts: {}",
            out.trimmed()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    env.berth(["inspect", "--format", "{{.State.ExitCode}}", &c])
        .assert_success()
        .stdout_is("3\n");
    // restart of a running one too.
    let r = env.name("r");
    env.berth(["run", "-d", "--name", &r, "--network", &app])
        .args(["busybox", "sleep", "300"])
        .assert_success();
    env.berth(["restart", "-t", "0", &r]).assert_success();
    env.berth(["exec", &r, "ip", "-4", "addr", "show", "eth0"])
        .assert_success()
        .stdout_contains("inet 10.182.0.");
});
