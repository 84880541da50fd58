//! `--network pasta` (rootless user-mode networking) and published ports: real traffic from the
//! host to busybox httpd in the container, and from the container to a server on the host.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::support::{Need, TestEnv, fixtures};

/// True when this mode can run pasta containers; as root, checks the clear refusal instead
/// (Debian 12's pasta cannot join a root container's network namespace).
fn pasta_ready(env: &TestEnv) -> bool {
    if !env.rootless() {
        env.load(fixtures::busybox());
        env.berth(["run", "--rm", "--network", "pasta", "busybox", "true"])
            .assert_exit(125)
            .stderr_contains("--network pasta is for rootless containers");
        return false;
    }
    crate::support::require(Need::Tool("pasta"))
        && crate::support::require(Need::UserDevice("/dev/net/tun"))
}

/// A host port free now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding a free port")
        .port()
}

/// GETs `path` from 127.0.0.1:`port`, retrying until the server answers (20 s).
pub(crate) fn http_get(port: u16, path: &str) -> String {
    let start = Instant::now();
    loop {
        let attempt = (|| -> std::io::Result<String> {
            let mut s = TcpStream::connect(("127.0.0.1", port))?;
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n")?;
            let mut body = String::new();
            s.read_to_string(&mut body)?;
            Ok(body)
        })();
        match attempt {
            Ok(body) if !body.is_empty() => return body,
            _ if start.elapsed() > Duration::from_secs(20) => {
                panic!("nothing answers on 127.0.0.1:{port}: {attempt:?}")
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// pasta processes serving this test's containers (zombies, which have no command line, do
/// not count).
pub(crate) fn pastas(env: &TestEnv) -> Vec<String> {
    let store = env.root.display().to_string();
    std::fs::read_dir("/proc")
        .expect("reading /proc")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            (cmd.contains("pasta") && cmd.contains(&store)).then_some(cmd)
        })
        .collect()
}

pub(crate) fn assert_no_pasta_left(env: &TestEnv) {
    let start = Instant::now();
    while !pastas(env).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "pasta left running: {:?}",
            pastas(env)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

both_modes!(published_ports_reach_the_container, |env| {
    if !pasta_ready(env) {
        return;
    }
    env.load(fixtures::busybox());
    let name = env.name("web");
    let port = free_port();
    env.berth(["run", "-d", "--name", &name, "--network", "pasta"])
        .args(["-p", &format!("{port}:80"), "-p", "127.0.0.1::81"])
        .args([
            "busybox",
            "sh",
            "-c",
            "httpd -p 80 -h /etc; exec httpd -f -p 81 -h /etc",
        ])
        .assert_success();
    let body = http_get(port, "/passwd");
    assert!(body.contains("root:"), "{body}");
    // The random host port of 127.0.0.1::81, as port, ps and inspect show it.
    let out = env.berth(["port", &name, "81"]).assert_success();
    let random: u16 = out
        .stdout
        .trim()
        .strip_prefix("127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("port printed {:?}", out.stdout));
    assert!(http_get(random, "/passwd").contains("root:"));
    let out = env.berth(["port", &name]).assert_success();
    assert_eq!(
        out.stdout,
        format!("80/tcp -> 0.0.0.0:{port}\n81/tcp -> 127.0.0.1:{random}\n")
    );
    let out = env
        .berth([
            "ps",
            "--filter",
            &format!("name={name}"),
            "--format",
            "{{.Ports}}",
        ])
        .assert_success();
    assert_eq!(
        out.stdout,
        format!("0.0.0.0:{port}->80/tcp, 127.0.0.1:{random}->81/tcp\n")
    );
    let out = env
        .berth(["inspect", "-f", "{{json .NetworkSettings.Ports}}", &name])
        .assert_success();
    let ports: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(ports["80/tcp"][0]["HostPort"], port.to_string());
    assert_eq!(ports["81/tcp"][0]["HostIp"], "127.0.0.1");
    env.berth(["port", &name, "82/tcp"])
        .assert_exit(125)
        .stderr_contains("no public port '82/tcp'");
    env.berth(["rm", "-f", &name]).assert_success();
    assert_no_pasta_left(env);
    // Nothing listens there any more (pasta's sockets close as it finishes exiting).
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "127.0.0.1:{port} still answers after rm -f"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
});

both_modes!(
    the_container_reaches_the_host_and_pasta_goes_with_it,
    |env| {
        if !pasta_ready(env) {
            return;
        }
        env.load(fixtures::busybox());
        // A one-shot server on the host; pasta maps the container's gateway to the host. (Debian
        // 12's pasta does not pass the host's close on, so the client is bounded by `timeout`;
        // busybox's wget crashes whatever the network.)
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let _ = s.write_all(b"from-host");
            }
        });
        let out = env
        .berth(["run", "--rm", "--network", "pasta", "busybox", "sh", "-c"])
        .arg(format!(
            "gw=$(ip route | awk '/^default/ {{print $3}}'); timeout 3 nc $gw {port} </dev/null; true"
        ))
        .assert_success();
        // Debian 12's pasta now and then hands the container the host's bytes a second time
        // (seen as "from-hostfrom-host"); nothing but copies of them may arrive.
        assert!(
            out.stdout.starts_with("from-host") && out.stdout.replace("from-host", "").is_empty(),
            "{:?}",
            out.stdout
        );
        server.join().unwrap();
        assert_no_pasta_left(env);
    }
);

both_modes!(publishing_errors_are_clear, |env| {
    env.load(fixtures::busybox());
    for (args, words) in [
        (
            &["-p", "80"][..],
            "-p needs a network that can publish ports",
        ),
        (&["--network", "pasta", "-p", "70000:80"], "invalid -p"),
        (
            &["--network", "pasta", "-p", "8080:80/sctp9"],
            "unknown protocol",
        ),
        (&["--network", "bridge7"], "network \"bridge7\" not found"),
    ] {
        env.berth(["run", "--rm"])
            .args(args)
            .args(["busybox", "true"])
            .assert_exit(125)
            .stderr_contains(words);
    }
    if !pasta_ready(env) {
        return;
    }
    env.berth([
        "run",
        "--rm",
        "--network",
        "pasta",
        "-p",
        "80:80",
        "busybox",
        "true",
    ])
    .assert_exit(125)
    .stderr_contains("net.ipv4.ip_unprivileged_port_start");
    // A host port that is taken: a clear error, and nothing left behind.
    let taken = TcpListener::bind("0.0.0.0:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = env
        .berth(["run", "--rm", "--network", "pasta", "-p"])
        .arg(format!("{port}:80"))
        .args(["busybox", "true"])
        .assert_exit(125);
    assert!(
        out.stderr.contains(&format!(
            "0.0.0.0:{port}/tcp: the host port is already in use"
        )),
        "{}",
        out.stderr
    );
    assert!(
        crate::run::store_entries(env, "containers").is_empty(),
        "a failed run --rm left a container"
    );
    assert_no_pasta_left(env);
});

both_modes!(a_pasta_whose_berth_was_killed_goes_with_rm, |env| {
    if !pasta_ready(env) {
        return;
    }
    env.load(fixtures::busybox());
    let name = env.name("orphan");
    let port = free_port();
    let mut run = env
        .berth(["run", "--name", &name, "--network", "pasta", "-p"])
        .arg(format!("{port}:80"))
        .args(["busybox", "httpd", "-f", "-p", "80", "-h", "/etc"])
        .spawn();
    assert!(http_get(port, "/passwd").contains("root:"));
    // SIGKILL the berth that ran it (this test's child): nobody is left to end pasta.
    let _ = run.kill();
    let _ = run.wait();
    assert!(!pastas(env).is_empty(), "pasta should outlive its berth");
    env.berth(["rm", "-f", &name]).assert_success();
    assert_no_pasta_left(env);
});

both_modes!(publish_all_maps_every_exposed_port, |env| {
    // It uses the default network's bridge.
    let _bridge = env.default_bridge_if_root();
    let _default_table = crate::networks::NetworkGuard::new(env);
    env.load(fixtures::busybox());
    env.berth(["create", "-P", "--expose", "80", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("-P needs a network that can publish ports");
    env.berth(["create", "--expose", "80/sctp", "busybox", "true"])
        .assert_exit(125)
        .stderr_contains("invalid --expose \"80/sctp\"");
    env.berth(["ps", "-aq"]).assert_success().stdout_empty();
    let network = if env.rootless() {
        if !pasta_ready(env) {
            return;
        }
        "pasta"
    } else {
        "bridge"
    };
    // An image that EXPOSEs 80/tcp.
    let mut parts = fixtures::Parts::oci();
    let tar = std::fs::read(&fixtures::busybox().layer_tars[0]).unwrap();
    parts
        .layers
        .push(("application/vnd.oci.image.layer.v1.tar", tar.clone(), tar));
    parts.config["ExposedPorts"] = serde_json::json!({"80/tcp": {}});
    env.berth(["load"])
        .stdin(parts.oci_archive("exposing:latest"))
        .assert_success();
    let name = env.name("all");
    env.berth(["run", "-d", "--name", &name, "--network", network, "-P"])
        .args(["--expose", "81/udp", "exposing"])
        .args(["httpd", "-f", "-p", "80", "-h", "/etc"])
        .assert_success();
    let port = |spec: &str| -> u16 {
        let out = env.berth(["port", &name, spec]).assert_success();
        out.stdout
            .trim()
            .strip_prefix("0.0.0.0:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("port {spec} printed {:?}", out.stdout))
    };
    let tcp = port("80/tcp");
    assert!(port("81/udp") > 0);
    assert!(http_get(tcp, "/passwd").contains("root:"));
    env.berth(["inspect", "-f", "{{.HostConfig.PublishAllPorts}}", &name])
        .assert_success()
        .stdout_is("true\n");
    env.berth(["rm", "-f", &name]).assert_success();
});
