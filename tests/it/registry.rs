//! Registry tests: `pull`, `push`, `login`/`logout` against Debian's real `docker-registry`
//! (distribution v2) on 127.0.0.1 with a temp storage dir, plain http (a localhost registry),
//! and with htpasswd basic auth; plus the hostile cases the real server will not produce
//! (digest mismatch, oversize manifest, cross-host redirect with credentials, token auth)
//! through a small in-process stub server.
//!
//! Every registry process a test starts is killed by its pid when the test ends (`Drop`), and
//! its temp dir removed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::fixtures::{self, Image};
use crate::support::{Cmd, Need, TestEnv};

/// A `docker-registry serve` process on 127.0.0.1.
struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    _dir: tempfile::TempDir,
}

impl Registry {
    /// Starts a registry, with htpasswd basic auth for `user` when given. None (after the
    /// skip message) when docker-registry or htpasswd is missing.
    fn start(user: Option<(&str, &str)>) -> Option<Registry> {
        Registry::start_with(user, false)
    }

    /// A registry serving https with a certificate from a fresh test CA (`<dir>/certs/ca.crt`).
    fn start_tls() -> Option<Registry> {
        if !crate::support::require(Need::Tool("openssl")) {
            return None;
        }
        Registry::start_with(None, true)
    }

    fn ca_dir(&self) -> PathBuf {
        self._dir.path().join("certs")
    }

    fn start_with(user: Option<(&str, &str)>, tls: bool) -> Option<Registry> {
        if !crate::support::require(Need::Tool("docker-registry")) {
            return None;
        }
        if user.is_some() && !crate::support::require(Need::Tool("htpasswd")) {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("berth-registry-")
            .tempdir()
            .unwrap();
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n",
            dir.path().join("data").display()
        );
        if let Some((u, p)) = user {
            let out = Command::new("htpasswd")
                .args(["-Bbn", u, p])
                .output()
                .unwrap();
            assert!(out.status.success(), "htpasswd failed");
            std::fs::write(dir.path().join("htpasswd"), &out.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: test-realm\n    path: {}\n",
                dir.path().join("htpasswd").display()
            ));
        }
        if tls {
            let c = dir.path().join("certs");
            std::fs::create_dir(&c).unwrap();
            std::fs::set_permissions(
                dir.path(),
                std::os::unix::fs::PermissionsExt::from_mode(0o755),
            )
            .unwrap();
            test_certs(dir.path());
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                dir.path().join("srv.crt").display(),
                dir.path().join("srv.key").display()
            ));
        }
        let cfg = dir.path().join("config.yml");
        std::fs::write(&cfg, config).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&cfg)
            .stdin(Stdio::null())
            // The access log (stdout) too, for tests that check which requests were made.
            .stdout(std::fs::File::create(dir.path().join("access.log")).unwrap())
            .stderr(std::fs::File::create(dir.path().join("log")).unwrap())
            .spawn()
            .expect("starting docker-registry");
        let reg = Registry {
            child,
            addr,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(&reg.addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen on {}",
                reg.addr
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(reg)
    }

    /// How many requests with `method` the access log holds so far.
    fn requests(&self, method: &str) -> usize {
        let log = std::fs::read_to_string(self._dir.path().join("access.log")).unwrap_or_default();
        log.matches(&format!("\"{method} /v2/")).count()
    }

    /// `127.0.0.1:PORT/<path>`
    fn r(&self, path: &str) -> String {
        format!("{}/{path}", self.addr)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        // Our own child, by its pid.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh test CA in `<dir>/certs/ca.crt` and a certificate for 127.0.0.1 it signed in
/// `<dir>/srv.crt` (key `<dir>/srv.key`). `<dir>/certs` must exist.
fn test_certs(dir: &std::path::Path) {
    let sh = format!(
        "set -e; cd {}; \
         openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=berth-test-ca; \
         openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ../srv.key -out srv.csr -subj /CN=127.0.0.1; \
         printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext; \
         openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ../srv.crt -days 2 -extfile ext; \
         rm ca.key srv.csr ext ca.srl",
        dir.join("certs").display()
    );
    let out = Command::new("sh").arg("-c").arg(&sh).output().unwrap();
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// berth with an auth file inside the test dir (root's default would be /etc/berth).
fn b<I, S>(env: &TestEnv, args: I) -> Cmd
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    env.berth(args)
        .env("REGISTRY_AUTH_FILE", authfile(env))
        .timeout(Duration::from_secs(120))
}

fn authfile(env: &TestEnv) -> PathBuf {
    env.work.join("auth.json")
}

/// `(id, diff ids, repo digests)` of a local image.
fn inspect(env: &TestEnv, name: &str) -> (String, Vec<String>, Vec<String>) {
    let out = b(
        env,
        [
            "image",
            "inspect",
            "--format",
            "{{.Id}} {{json .RootFS.Layers}} {{json .RepoDigests}}",
            name,
        ],
    )
    .assert_success();
    let mut parts = out.trimmed().splitn(3, ' ');
    let id = parts.next().unwrap().to_string();
    let layers = serde_json::from_str(parts.next().unwrap()).unwrap();
    let digests = serde_json::from_str(parts.next().unwrap()).unwrap();
    (id, layers, digests)
}

fn push(env: &TestEnv, src: &str, dest: &str, extra: &[&str]) -> String {
    let file = env.path(&format!("digest-{}", crate::support::random_hex(4)));
    b(env, ["push"])
        .args(extra)
        .arg("--digestfile")
        .arg(&file)
        .args([src, dest])
        .assert_success();
    std::fs::read_to_string(&file).unwrap()
}

fn empty_store(env: &TestEnv) {
    b(env, ["rmi", "-a", "-f"]).assert_success();
    b(env, ["images", "-q"]).assert_success().stdout_empty();
}

/// A plain HTTP/1.1 request from the test: `(status, body)`.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut r = BufReader::new(s);
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    let code: u16 = status.split(' ').nth(1).unwrap().parse().unwrap();
    let mut len = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut out = Vec::new();
    if method == "HEAD" {
        return (code, out);
    }
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            out.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = len {
        out.resize(n, 0);
        r.read_exact(&mut out).unwrap();
    } else {
        r.read_to_end(&mut out).unwrap();
    }
    (code, out)
}

const ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json";

both_modes!(push_pull_round_trip_and_mount, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let bb = fixtures::busybox();
    env.load(bb);
    let dest = reg.r("me/busybox:1");
    let digest = push(env, "busybox", &dest, &[]);
    assert!(digest.starts_with("sha256:"), "{digest}");
    // The manifest the registry serves is exactly what was pushed.
    let (code, bytes) = http(
        &reg.addr,
        "GET",
        "/v2/me/busybox/manifests/1",
        &[("Accept", ACCEPT)],
        b"",
    );
    assert_eq!(code, 200);
    assert_eq!(sha256(&bytes), digest);
    // Pushing records where the image now is.
    let (_, _, digests) = inspect(env, "busybox");
    assert!(
        digests.contains(&format!("{}@{digest}", reg.r("me/busybox"))),
        "{digests:?}"
    );
    // The same image to another repository is mounted, not uploaded.
    b(env, ["push", "busybox"])
        .arg(reg.r("other/busybox:2"))
        .assert_success()
        .stderr_contains("mounted from me/busybox");

    empty_store(env);
    // Not a terminal: plain step lines on stderr, the id on stdout.
    let out = b(env, ["pull", &dest])
        .assert_success()
        .stderr_contains(&format!("Trying to pull {dest}"))
        .stderr_contains("Copying blob")
        .stderr_contains("Writing manifest to image destination");
    assert_eq!(out.trimmed(), bb.hex());
    let (id, layers, digests) = inspect(env, &dest);
    assert_eq!(id, bb.id);
    assert_eq!(layers, bb.diff_ids);
    assert!(
        digests.contains(&format!("{}@{digest}", reg.r("me/busybox"))),
        "{digests:?}"
    );
    // A second pull skips what the store has; -q prints only the id.
    b(env, ["pull", &dest])
        .assert_success()
        .stderr_contains("skipped: already exists");
    b(env, ["image", "pull", "-q", &dest])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    // By digest.
    b(
        env,
        ["pull", "-q", &format!("{}@{digest}", reg.r("me/busybox"))],
    )
    .assert_success()
    .stdout_is(&format!("{}\n", bb.hex()));

    // run pulls a missing image (--pull=missing), --pull=never does not.
    empty_store(env);
    b(env, ["run", "--rm", "--pull=never", &dest, "true"])
        .assert_exit(125)
        .stderr_contains("no such image");
    b(env, ["run", "--rm", &dest, "echo", "hi"])
        .assert_success()
        .stdout_is("hi\n");
    b(env, ["run", "--rm", "--pull=always", &dest, "true"]).assert_success();
    b(env, ["run", "--rm", "--pull=newer", &dest, "true"]).assert_success();
});

both_modes!(all_tags_and_missing_tag, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    env.load(fixtures::busybox());
    env.load(fixtures::second());
    push(env, "busybox", &reg.r("t/img:a"), &[]);
    push(env, "second", &reg.r("t/img:b"), &[]);
    push(env, "second", &reg.r("u/other:1"), &[]);
    // search reads the catalog; --list-tags the tag list.
    b(
        env,
        ["search", "--format", "{{.Name}}", &format!("{}/", reg.addr)],
    )
    .assert_success()
    .stdout_is(&format!("{}\n{}\n", reg.r("t/img"), reg.r("u/other")));
    b(env, ["search", &format!("{}/oth", reg.addr)])
        .assert_success()
        .stdout_contains("NAME")
        .stdout_contains(&reg.r("u/other"))
        .stdout_lacks("t/img");
    b(
        env,
        [
            "search",
            "--list-tags",
            "--format",
            "{{.Tag}}",
            &reg.r("t/img"),
        ],
    )
    .assert_success()
    .stdout_is("a\nb\n");
    empty_store(env);
    let out = b(env, ["pull", "-q", "--all-tags", &reg.r("t/img")]).assert_success();
    assert_eq!(out.lines().len(), 2, "{}", out.stdout);
    assert_eq!(inspect(env, &reg.r("t/img:a")).0, fixtures::busybox().id);
    assert_eq!(inspect(env, &reg.r("t/img:b")).0, fixtures::second().id);

    let before = env.store_snapshot();
    b(env, ["pull", &reg.r("t/img:nope")])
        .assert_exit(125)
        .stderr_contains("404")
        .stderr_contains(&format!("{}:nope", reg.r("t/img")))
        .stderr_contains("not found");
    b(env, ["pull", &reg.r("t/none:1")])
        .assert_exit(125)
        .stderr_contains("404");
    env.assert_store_is(&before, "pulling a missing tag");
});

both_modes!(chunked_upload, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let bb = fixtures::busybox();
    env.load(bb);
    let chunk: u64 = 64 * 1024;
    let conf = env.write("registries.conf", "upload-chunk-size = \"64KiB\"\n");
    let dest = reg.r("chunks/bb:1");
    let file = env.path("chunked-digest");
    b(env, ["push", "-q", "--digestfile"])
        .arg(&file)
        .args(["busybox", &dest])
        .env("CONTAINERS_REGISTRIES_CONF", &conf)
        .assert_success();
    let digest = std::fs::read_to_string(&file).unwrap();
    let (status, body) = http(
        &reg.addr,
        "GET",
        &format!("/v2/chunks/bb/manifests/{digest}"),
        &[("Accept", ACCEPT)],
        b"",
    );
    assert_eq!(status, 200);
    let m: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let layer_size = m["layers"][0]["size"].as_u64().unwrap();
    assert!(layer_size > 3 * chunk, "the layer is {layer_size} bytes");
    // The layer went up in 64 KiB pieces; the config (smaller than a chunk) in one PUT.
    let patches = reg.requests("PATCH");
    assert_eq!(
        patches as u64,
        layer_size.div_ceil(chunk),
        "PATCH requests for a {layer_size}-byte layer"
    );
    // What the registry assembled is byte for byte what was pushed: same digests back.
    empty_store(env);
    b(env, ["pull", "-q", &dest])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    let (id, layers, digests) = inspect(env, &dest);
    assert_eq!(id, bb.id);
    assert_eq!(layers.len(), 1);
    assert!(
        digests.iter().any(|d| d.ends_with(&digest)),
        "{digests:?} vs {digest}"
    );
    // 0 never chunks.
    let mono = env.write("mono.conf", "upload-chunk-size = 0\n");
    env.load(bb);
    b(env, ["push", "-q", "busybox", &reg.r("mono/bb:1")])
        .env("CONTAINERS_REGISTRIES_CONF", &mono)
        .assert_success();
    assert_eq!(reg.requests("PATCH"), patches);
});

both_modes!(multi_arch_index_platform, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let (bb, second) = (fixtures::busybox(), fixtures::second());
    env.load(bb);
    env.load(second);
    let d_host = push(env, "busybox", &reg.r("m/img:host"), &[]);
    let d_other = push(env, "second", &reg.r("m/img:other"), &[]);
    let size = |tag: &str| {
        http(
            &reg.addr,
            "GET",
            &format!("/v2/m/img/manifests/{tag}"),
            &[("Accept", ACCEPT)],
            b"",
        )
        .1
        .len()
    };
    let host = fixtures::host_arch();
    let other = if host == "arm64" { "amd64" } else { "arm64" };
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": fixtures::MEDIA_INDEX,
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d_other, "size": size("other"),
             "platform": {"os": "linux", "architecture": other}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d_host, "size": size("host"),
             "platform": {"os": "linux", "architecture": host}},
        ],
    });
    let (code, _) = http(
        &reg.addr,
        "PUT",
        "/v2/m/img/manifests/multi",
        &[("Content-Type", fixtures::MEDIA_INDEX)],
        &serde_json::to_vec(&index).unwrap(),
    );
    assert_eq!(code, 201);
    empty_store(env);
    let multi = reg.r("m/img:multi");
    b(env, ["pull", "-q", &multi])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    b(
        env,
        [
            "pull",
            "-q",
            "--platform",
            &format!("linux/{other}"),
            &multi,
        ],
    )
    .assert_success()
    .stdout_is(&format!("{}\n", second.hex()));
    assert_eq!(inspect(env, &multi).0, second.id);
    b(env, ["pull", "-q", "--arch", host, &multi])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    b(env, ["pull", "--platform", "linux/s390x", &multi])
        .assert_exit(125)
        .stderr_contains("no image for platform linux/s390x");
    b(env, ["pull", "--platform", "nonsense", &multi])
        .assert_exit(125)
        .stderr_contains("invalid --platform");
});

both_modes!(zstd_layers, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let bb = fixtures::busybox();
    env.load(bb);
    let dest = reg.r("z/busybox:1");
    let digest = push(env, "busybox", &dest, &["--compression-format", "zstd"]);
    let (_, bytes) = http(
        &reg.addr,
        "GET",
        "/v2/z/busybox/manifests/1",
        &[("Accept", ACCEPT)],
        b"",
    );
    assert_eq!(sha256(&bytes), digest);
    let m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        m["layers"][0]["mediaType"],
        "application/vnd.oci.image.layer.v1.tar+zstd"
    );
    empty_store(env);
    b(env, ["pull", "-q", &dest]).assert_success();
    let (id, layers, _) = inspect(env, &dest);
    assert_eq!((id, layers), (bb.id.clone(), bb.diff_ids.clone()));
    b(env, ["run", "--rm", &dest, "cat", "/etc/group"])
        .assert_success()
        .stdout_contains("root");
    b(env, ["push", "--compression-format", "xz", &dest])
        .assert_exit(125)
        .stderr_contains("invalid --compression-format");
});

both_modes!(registries_conf_mirror_and_blocked, |env| {
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let bb = fixtures::busybox();
    env.load(bb);
    push(env, "busybox", &reg.r("cache/me/bb:1"), &[]);
    let conf = env.write(
        "registries.conf",
        format!(
            "[[registry]]\nlocation = \"registry.invalid:5000\"\n[[registry.mirror]]\nlocation = \"{}/cache\"\n\n[[registry]]\nlocation = \"blocked.invalid\"\nblocked = true\n",
            reg.addr
        ),
    );
    let c = |args: &[&str]| b(env, args).env("CONTAINERS_REGISTRIES_CONF", &conf);
    empty_store(env);
    // The registry itself does not exist: the image comes from the mirror, named as asked.
    c(&["pull", "-q", "registry.invalid:5000/me/bb:1"])
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    let (id, _, digests) = inspect(env, "registry.invalid:5000/me/bb:1");
    assert_eq!(id, bb.id);
    assert!(
        digests[0].starts_with("registry.invalid:5000/me/bb@sha256:"),
        "{digests:?}"
    );
    // Not on the mirror: the registry is tried next, and its failure is the error.
    c(&["pull", "--retry", "0", "registry.invalid:5000/me/other:1"])
        .assert_exit(125)
        .stderr_contains("Mirror")
        .stderr_contains("registry.invalid");
    c(&["pull", "blocked.invalid/x:1"])
        .assert_exit(125)
        .stderr_contains("blocked");
    c(&[
        "push",
        "registry.invalid:5000/me/bb:1",
        "blocked.invalid/x:1",
    ])
    .assert_exit(125)
    .stderr_contains("blocked");
    let bad = env.write("bad.conf", "[[registry]]\nlocation = \"../x\"\n");
    b(env, ["pull", "registry.invalid:5000/me/bb:1"])
        .env("CONTAINERS_REGISTRIES_CONF", &bad)
        .assert_exit(125)
        .stderr_contains("bad.conf");
});

both_modes!(interop_with_skopeo, |env| {
    crate::require!(Need::Tool("skopeo"));
    let Some(reg) = Registry::start(None) else {
        return;
    };
    let second = fixtures::second();
    // skopeo pushes, berth pulls.
    let status = Command::new("skopeo")
        .args(["copy", "-q", "--dest-tls-verify=false"])
        .arg(format!(
            "docker-archive:{}",
            second.docker_archive.display()
        ))
        .arg(format!("docker://{}", reg.r("i/second:1")))
        .status()
        .unwrap();
    assert!(status.success());
    let (id, layers, _) = {
        b(env, ["pull", "-q", &reg.r("i/second:1")]).assert_success();
        inspect(env, &reg.r("i/second:1"))
    };
    assert_eq!((id, layers), (second.id.clone(), second.diff_ids.clone()));

    // berth pushes, skopeo reads and copies (which checks every digest).
    env.load(fixtures::busybox());
    let digest = push(env, "busybox", &reg.r("i/busybox:1"), &[]);
    let out = Command::new("skopeo")
        .args(["inspect", "--tls-verify=false"])
        .arg(format!("docker://{}", reg.r("i/busybox:1")))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Digest"], digest.as_str());
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("skopeo")
        .args(["copy", "-q", "--src-tls-verify=false"])
        .arg(format!("docker://{}", reg.r("i/busybox:1")))
        .arg(format!("oci:{}:x", dir.path().join("l").display()))
        .status()
        .unwrap();
    assert!(status.success());

    // podman pulls what berth pushed, with the same image id and layers.
    if crate::support::require(Need::Tool("podman"))
        && (!env.rootless() || crate::support::require(Need::SubUid))
    {
        let zref = reg.r("i/busybox:zstd");
        push(env, "busybox", &zref, &["--compression-format", "zstd"]);
        for r in [reg.r("i/busybox:1"), zref] {
            env.podman(["pull", "-q", "--tls-verify=false", &r])
                .assert_success();
            let out = env
                .podman([
                    "image",
                    "inspect",
                    "--format",
                    "{{.ID}} {{json .RootFS.Layers}}",
                    &r,
                ])
                .assert_success();
            let bb = fixtures::busybox();
            assert_eq!(
                out.trimmed(),
                format!(
                    "{} {}",
                    bb.hex(),
                    serde_json::to_string(&bb.diff_ids).unwrap()
                )
            );
        }
    }
});

both_modes!(login_logout_basic_auth, |env| {
    let Some(reg) = Registry::start(Some(("alice", "s3cret"))) else {
        return;
    };
    let host = reg.addr.clone();
    b(env, ["login", "-u", "alice", "-p", "wrong", &host])
        .assert_exit(125)
        .stderr_contains("401")
        .stderr_contains("unauthorized")
        .stderr_contains(&host);
    assert!(
        !authfile(env).exists(),
        "a failed login wrote the auth file"
    );

    env.load(fixtures::busybox());
    let dest = reg.r("a/busybox:1");
    b(env, ["push", "busybox", &dest])
        .assert_exit(125)
        .stderr_contains("401")
        .stderr_contains(&format!("run berth login {host}"));

    b(env, ["login", "-u", "alice", "--password-stdin", &host])
        .stdin("s3cret\n")
        .assert_success()
        .stdout_contains("Login Succeeded");
    let mode = std::fs::metadata(authfile(env)).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    b(env, ["login", "--get-login", &host])
        .assert_success()
        .stdout_is("alice\n");
    push(env, "busybox", &dest, &[]);
    empty_store(env);
    b(env, ["pull", "-q", &dest]).assert_success();

    b(env, ["logout", &host])
        .assert_success()
        .stdout_contains(&host);
    b(env, ["logout", &host])
        .assert_exit(125)
        .stderr_contains("not logged into");
    empty_store(env);
    b(env, ["pull", &dest])
        .assert_exit(125)
        .stderr_contains("401")
        .stderr_contains(&format!("run berth login {host}"));
    // --creds works without any auth file; a wrong one fails clearly.
    b(env, ["pull", "-q", "--creds", "alice:s3cret", &dest]).assert_success();
    b(env, ["pull", "--creds", "alice:nope", &dest])
        .assert_exit(125)
        .stderr_contains("401");
    // Docker's config.json is read too (after berth's and containers' auth files).
    let docker = env.home.join(".docker");
    std::fs::create_dir_all(&docker).unwrap();
    std::fs::write(
        docker.join("config.json"),
        format!(
            r#"{{"auths":{{"{host}":{{"auth":"{}"}}}}}}"#,
            b64("alice:s3cret")
        ),
    )
    .unwrap();
    b(env, ["pull", "-q", &dest]).assert_success();
    std::fs::remove_file(docker.join("config.json")).unwrap();
    // credHelpers: berth runs docker-credential-<helper> get.
    let bin = env.work.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-berthtest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\nif [ \"$server\" = \"{host}\" ]; then echo '{{\"Username\":\"alice\",\"Secret\":\"s3cret\"}}'; else echo 'credentials not found in native keychain'; exit 1; fi\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        docker.join("config.json"),
        format!(r#"{{"credHelpers":{{"{host}":"berthtest"}}}}"#),
    )
    .unwrap();
    let path = format!(
        "{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        bin.display()
    );
    b(env, ["pull", "-q", &dest])
        .env("PATH", &path)
        .assert_success();
    std::fs::remove_file(docker.join("config.json")).unwrap();
    // --authfile names the file to write and read.
    let other = env.path("other-auth.json");
    b(env, ["login", "-u", "alice", "-p", "s3cret", "--authfile"])
        .arg(&other)
        .arg(&host)
        .assert_success();
    assert!(std::fs::read_to_string(&other).unwrap().contains(&host));
    b(env, ["pull", "-q", "--authfile"])
        .arg(&other)
        .arg(&dest)
        .assert_success();
    b(env, ["login", "-u", "alice", "-p", "s3cret", &host]).assert_success();
    b(env, ["logout", "-a"]).assert_success();
    b(env, ["login", "--get-login", &host])
        .assert_exit(125)
        .stderr_contains("not logged into");
});

both_modes!(tls_with_a_test_ca, |env| {
    let Some(reg) = Registry::start_tls() else {
        return;
    };
    let bb = fixtures::busybox();
    env.load(bb);
    let dest = reg.r("s/busybox:1");
    let ca = reg.ca_dir();
    // Verified https with the test CA from --cert-dir.
    b(env, ["push", "-q", "--cert-dir"])
        .arg(&ca)
        .args(["busybox", &dest])
        .assert_success();
    empty_store(env);
    // Verification on and no CA: refused, naming the certificate problem.
    b(env, ["pull", "--retry", "0", "--tls-verify=true", &dest])
        .assert_exit(125)
        .stderr_mentions_any(&["certificate", "UnknownIssuer"]);
    b(env, ["images", "-q"]).assert_success().stdout_empty();
    b(env, ["pull", "-q", "--cert-dir"])
        .arg(&ca)
        .arg(&dest)
        .assert_success()
        .stdout_is(&format!("{}\n", bb.hex()));
    // A localhost registry is insecure unless it has a CA configured, as in Docker:
    // unverified https when it speaks TLS.
    b(env, ["pull", "-q", &dest]).assert_success();
    b(env, ["pull", "-q", "--tls-verify=false", &dest]).assert_success();
});

// ---- the stub registry: hostile answers the real one never gives ----

/// One request the stub saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    auth: Option<String>,
    range: Option<String>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Stop answering (keeping the connection open) after the headers and this many body
    /// bytes; `Some(None)`: before sending anything.
    stall: Option<Option<usize>>,
}

impl Reply {
    fn ok(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body,
            stall: None,
        }
    }
    fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            stall: None,
        }
    }
    fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    fn stall(mut self, after: Option<usize>) -> Reply {
        self.stall = Some(after);
        self
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1, one request per connection.
struct Stub {
    addr: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Stub {
    fn start(handler: Arc<Handler>) -> Stub {
        Stub::start_with(handler, None)
    }

    /// A stub speaking https with `<dir>/srv.crt` and `<dir>/srv.key` (see [`test_certs`]).
    fn start_tls(handler: Arc<Handler>, dir: &std::path::Path) -> Stub {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs = CertificateDer::pem_file_iter(dir.join("srv.crt"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(dir.join("srv.key")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        Stub::start_with(handler, Some(Arc::new(config)))
    }

    fn start_with(handler: Arc<Handler>, tls: Option<Arc<rustls::ServerConfig>>) -> Stub {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in l.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let (h, s, stop) = (handler.clone(), seen2.clone(), stop2.clone());
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                match &tls {
                    None => std::thread::spawn(move || serve(conn, &*h, &s, &stop)),
                    Some(config) => {
                        let Ok(session) = rustls::ServerConnection::new(config.clone()) else {
                            continue;
                        };
                        let conn = rustls::StreamOwned::new(session, conn);
                        std::thread::spawn(move || serve(conn, &*h, &s, &stop))
                    }
                };
            }
        });
        Stub {
            addr,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve<S: Read + Write>(conn: S, h: &Handler, seen: &Mutex<Vec<Seen>>, stop: &AtomicBool) {
    let mut r = BufReader::new(conn);
    let mut line = String::new();
    if r.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut it = line.split_whitespace();
    let method = it.next().unwrap_or("").to_string();
    let path = it.next().unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).is_err() {
            return;
        }
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    if let Some(n) = headers
        .get("content-length")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let mut body = vec![0; n];
        let _ = r.read_exact(&mut body);
    }
    let req = Seen {
        method,
        path,
        auth: headers.get("authorization").cloned(),
        range: headers.get("content-range").cloned(),
    };
    seen.lock().unwrap().push(req.clone());
    let reply = h(&req);
    // The whole request has been read, so nothing is lost with the reader's buffer.
    let w = r.get_mut();
    // A stalled answer holds the connection open, silent, until the stub is dropped.
    let hang = || {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    if reply.stall == Some(None) {
        return hang();
    }
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = w.write_all(head.as_bytes());
    if let Some(Some(n)) = reply.stall {
        let _ = w.write_all(&reply.body[..n.min(reply.body.len())]);
        let _ = w.flush();
        return hang();
    }
    if req.method != "HEAD" {
        let _ = w.write_all(&reply.body);
    }
    let _ = w.flush();
}

fn sha256(bytes: &[u8]) -> String {
    crate::support::tarball::digest(bytes)
}

/// Serves the busybox fixture (OCI layout blobs) from the stub; `blob` may change a blob.
fn fixture_reply(img: &Image, path: &str, blob: &dyn Fn(&str, Vec<u8>) -> Vec<u8>) -> Reply {
    if path == "/v2/" {
        return Reply::ok(b"{}".to_vec());
    }
    if path.ends_with("/manifests/1") || path.contains("/manifests/sha256:") {
        return Reply::ok(img.manifest_bytes()).header("Content-Type", fixtures::MEDIA_MANIFEST);
    }
    if let Some(d) = path.split("/blobs/").nth(1) {
        let file = img
            .oci_layout
            .join("blobs/sha256")
            .join(d.trim_start_matches("sha256:"));
        if let Ok(bytes) = std::fs::read(file) {
            return Reply::ok(blob(d, bytes));
        }
    }
    Reply::status(404)
}

both_modes!(stub_digest_mismatch_commits_nothing, |env| {
    let bb = fixtures::busybox();
    let layer = bb.layer_digests[0].clone();
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        fixture_reply(fixtures::busybox(), &req.path, &|d, mut bytes| {
            if d == layer {
                // Same length, one byte changed.
                let n = bytes.len() / 2;
                bytes[n] ^= 0xff;
            }
            bytes
        })
    }));
    b(env, ["images"]).assert_success();
    let before = env.store_snapshot();
    b(
        env,
        [
            "pull",
            "--retry",
            "2",
            "--retry-delay",
            "10ms",
            &format!("{}/x/bb:1", stub.addr),
        ],
    )
    .assert_exit(125)
    .stderr_contains("digest mismatch");
    env.assert_store_is(&before, "a pull with a corrupt layer");
    // A mismatch is never retried: the layer was asked for once.
    let gets = stub
        .seen()
        .iter()
        .filter(|s| s.path.ends_with(&bb.layer_digests[0]))
        .count();
    assert_eq!(gets, 1, "{:?}", stub.seen());
});

both_modes!(stub_bad_layer_fails_once_and_commits_nothing, |env| {
    // A layer whose digest is right but whose content is no tar: the applier stops reading
    // part way through the stream; the pull fails with its error and does not retry.
    let mut junk = Vec::new();
    let mut x: u32 = 1;
    for _ in 0..(2 << 20) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    let layer = crate::support::tarball::gzip(&junk);
    let layer_digest = sha256(&layer);
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": fixtures::host_arch(), "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(&junk)]},
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": fixtures::MEDIA_MANIFEST,
        "config": {"mediaType": fixtures::MEDIA_CONFIG, "digest": sha256(&config), "size": config.len()},
        "layers": [{"mediaType": fixtures::MEDIA_LAYER_GZIP, "digest": layer_digest, "size": layer.len()}],
    }))
    .unwrap();
    let blobs: HashMap<String, Vec<u8>> =
        [(sha256(&config), config), (layer_digest.clone(), layer)].into();
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        if req.path.ends_with("/manifests/1") {
            return Reply::ok(manifest.clone()).header("Content-Type", fixtures::MEDIA_MANIFEST);
        }
        match req.path.split("/blobs/").nth(1).and_then(|d| blobs.get(d)) {
            Some(b) => Reply::ok(b.clone()),
            None => Reply::ok(b"{}".to_vec()),
        }
    }));
    b(env, ["images"]).assert_success();
    let before = env.store_snapshot();
    b(
        env,
        [
            "pull",
            "--retry",
            "2",
            "--retry-delay",
            "10ms",
            &format!("{}/x/junk:1", stub.addr),
        ],
    )
    .assert_exit(125)
    .stderr_contains(&format!("layer {layer_digest}"));
    env.assert_store_is(&before, "a pull of a layer that is no tar");
    let gets = stub
        .seen()
        .iter()
        .filter(|s| s.path.ends_with(&layer_digest))
        .count();
    assert_eq!(gets, 1, "{:?}", stub.seen());
});

both_modes!(stub_retries_transient_errors, |env| {
    let fails = Arc::new(Mutex::new(2));
    let f2 = fails.clone();
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        if req.path.ends_with("/manifests/1") {
            let mut left = f2.lock().unwrap();
            if *left > 0 {
                *left -= 1;
                return Reply::status(503);
            }
        }
        fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
    }));
    let r = format!("{}/x/bb:1", stub.addr);
    b(env, ["pull", "-q", "--retry", "0", &r])
        .assert_exit(125)
        .stderr_contains("503")
        .stderr_contains("try again later");
    b(env, ["pull", "--retry", "3", "--retry-delay", "10ms", &r])
        .assert_success()
        .stderr_contains("Retrying")
        .stdout_is(&format!("{}\n", fixtures::busybox().hex()));
    assert_eq!(*fails.lock().unwrap(), 0);
});

both_modes!(stub_stalled_registry_times_out, |env| {
    // 0: healthy; 1: the manifest request is accepted and never answered; 2: the layer stops
    // half way through its body.
    let mode = Arc::new(Mutex::new(1));
    let m2 = mode.clone();
    let layer = fixtures::busybox().layer_digests[0].clone();
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        let r = fixture_reply(fixtures::busybox(), &req.path, &|_, b| b);
        match *m2.lock().unwrap() {
            1 if req.path.contains("/manifests/") => r.stall(None),
            2 if req.path.ends_with(&layer) => {
                let half = r.body.len() / 2;
                r.stall(Some(half))
            }
            _ => r,
        }
    }));
    let conf = env.write(
        "registries.conf",
        "read-timeout = \"1s\"\nconnect-timeout = 2\n",
    );
    let r = format!("{}/x/bb:1", stub.addr);
    let pull = |retry: &str| {
        b(env, ["pull", "--retry", retry, "--retry-delay", "10ms", &r])
            .env("CONTAINERS_REGISTRIES_CONF", &conf)
            .timeout(Duration::from_secs(60))
    };
    b(env, ["images"]).assert_success();
    let before = env.store_snapshot();
    let t = Instant::now();
    pull("1")
        .assert_exit(125)
        .stderr_contains("Retrying")
        .stderr_contains(&format!("pulling {r}"))
        .stderr_contains("timed out: the registry sent nothing for 1s (set read-timeout");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    env.assert_store_is(&before, "a pull from a registry that never answers");
    *mode.lock().unwrap() = 2;
    let t = Instant::now();
    pull("1")
        .assert_exit(125)
        .stderr_contains("Retrying")
        .stderr_contains(&fixtures::busybox().layer_digests[0])
        .stderr_contains("timed out: the registry sent nothing for 1s (set read-timeout");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    env.assert_store_is(&before, "a pull whose layer stalled half way");
    // Nothing left behind trips the next pull up.
    *mode.lock().unwrap() = 0;
    pull("0")
        .assert_success()
        .stdout_is(&format!("{}\n", fixtures::busybox().hex()));
});

both_modes!(stub_run_and_create_pull_with_registry_flags, |env| {
    let expect = format!("Basic {}", b64("u:p"));
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        if req.auth.as_deref() != Some(expect.as_str()) {
            return Reply::status(401).header("WWW-Authenticate", "Basic realm=\"stub\"");
        }
        fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
    }));
    let r = format!("{}/x/bb:1", stub.addr);
    let manifests = || {
        stub.seen()
            .iter()
            .filter(|s| s.path.contains("/manifests/") && s.auth.is_some())
            .count()
    };
    // No credentials: the registry's 401, with the hint.
    b(env, ["create", &r, "true"])
        .assert_exit(125)
        .stderr_contains("401")
        .stderr_contains("berth login");
    // --creds: the pull's progress on stderr as plain lines; stdout is only the id.
    let out = b(env, ["create", "--creds", "u:p", &r, "true"])
        .assert_success()
        .stderr_contains(&format!("Trying to pull {r}"))
        .stderr_contains("Copying blob");
    assert_eq!(out.trimmed().len(), 64, "{}", out.trimmed());
    // --tls-verify=true: a plain http registry is refused.
    b(env, ["rm", "-a", "-f"]).assert_success();
    empty_store(env);
    b(
        env,
        ["create", "--creds", "u:p", "--tls-verify=true", &r, "true"],
    )
    .assert_exit(125)
    .stderr_contains(&stub.addr);
    // --authfile, and -q: nothing from the pull, only the container's output.
    let auth = env.path("run-auth.json");
    b(env, ["login", "-u", "u", "-p", "p", "--authfile"])
        .arg(&auth)
        .arg(&stub.addr)
        .assert_success();
    b(env, ["run", "--rm", "-q", "--authfile"])
        .arg(&auth)
        .args([&r, "echo", "hi"])
        .assert_success()
        .stdout_is("hi\n")
        .stderr_empty();
    // --platform: the local image is for this host, so naming the host's platform pulls
    // nothing; another platform counts as missing (pulled again, or refused with never).
    let host = format!("linux/{}", fixtures::host_arch());
    let before = manifests();
    b(env, ["create", "-q", "--platform", &host, &r, "true"]).assert_success();
    assert_eq!(manifests(), before, "{:?}", stub.seen());
    b(
        env,
        [
            "create",
            "--pull=never",
            "--platform",
            "linux/s390x",
            &r,
            "true",
        ],
    )
    .assert_exit(125)
    .stderr_contains("not for linux/s390x");
    b(
        env,
        [
            "create",
            "-q",
            "--creds",
            "u:p",
            "--platform",
            "linux/s390x",
            &r,
            "true",
        ],
    )
    .assert_success();
    assert!(manifests() > before, "{:?}", stub.seen());
    b(env, ["create", "--platform", "linux", &r, "true"])
        .assert_exit(125)
        .stderr_contains("invalid --platform");
});

both_modes!(stub_chunked_upload_honours_the_registry_minimum, |env| {
    // The registry asks for chunks of at least 300000 bytes; the configuration says 64 KiB.
    let stub = Stub::start(Arc::new(|req: &Seen| match req.method.as_str() {
        "HEAD" => Reply::status(404),
        "POST" => Reply::status(202)
            .header("Location", "/v2/x/bb/blobs/uploads/u1?state=0")
            .header("OCI-Chunk-Min-Length", "300000"),
        "PATCH" => Reply::status(202).header("Location", "/v2/x/bb/blobs/uploads/u1?state=1"),
        "PUT" => Reply::status(201),
        _ => Reply::ok(b"{}".to_vec()),
    }));
    env.load(fixtures::busybox());
    let conf = env.write("registries.conf", "upload-chunk-size = \"64KiB\"\n");
    b(
        env,
        ["push", "-q", "busybox", &format!("{}/x/bb:1", stub.addr)],
    )
    .env("CONTAINERS_REGISTRIES_CONF", &conf)
    .assert_success();
    let seen = stub.seen();
    let ranges: Vec<(u64, u64)> = seen
        .iter()
        .filter(|s| s.method == "PATCH")
        .map(|s| {
            let r = s.range.as_deref().expect("a PATCH without Content-Range");
            let (a, b) = r.split_once('-').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert!(ranges.len() >= 2, "{seen:?}");
    let mut next = 0;
    for (i, (a, b)) in ranges.iter().enumerate() {
        assert_eq!(*a, next, "chunks are contiguous: {ranges:?}");
        if i + 1 < ranges.len() {
            assert_eq!(b - a + 1, 300000, "{ranges:?}");
        }
        next = b + 1;
    }
    // The closing PUT goes to the last location, with the digest and no body.
    assert!(
        seen.iter().any(|s| s.method == "PUT"
            && s.path
                .starts_with("/v2/x/bb/blobs/uploads/u1?state=1&digest=sha256:")),
        "{seen:?}"
    );
});

both_modes!(stub_pull_newer_checks_the_digest, |env| {
    let stub = Stub::start(Arc::new(|req: &Seen| {
        fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
    }));
    let r = format!("{}/x/bb:1", stub.addr);
    let blob_gets = || {
        stub.seen()
            .iter()
            .filter(|s| s.path.contains("/blobs/"))
            .count()
    };
    b(env, ["pull", "-q", &r]).assert_success();
    let after_pull = blob_gets();
    assert!(after_pull >= 2, "{:?}", stub.seen());
    // The registry still has what the image was pulled as: nothing is fetched.
    b(env, ["create", "--pull=newer", &r, "true"]).assert_success();
    assert_eq!(blob_gets(), after_pull, "{:?}", stub.seen());
    // always pulls again (the config at least; the layer is skipped).
    b(env, ["create", "--pull=always", &r, "true"]).assert_success();
    assert!(blob_gets() > after_pull);
});

both_modes!(stub_oversize_manifest_refused, |env| {
    let stub = Stub::start(Arc::new(|req: &Seen| {
        if req.path == "/v2/" {
            return Reply::ok(b"{}".to_vec());
        }
        let mut body = b"{\"schemaVersion\":2,\"x\":\"".to_vec();
        body.resize(5 << 20, b'a');
        Reply::ok(body).header("Content-Type", fixtures::MEDIA_MANIFEST)
    }));
    b(env, ["pull", &format!("{}/x/big:1", stub.addr)])
        .assert_exit(125)
        .stderr_contains("larger than");
});

both_modes!(stub_cross_host_redirect_drops_credentials, |env| {
    let other = Stub::start(Arc::new(|req: &Seen| {
        let path = req.path.trim_start_matches("/elsewhere");
        fixture_reply(fixtures::busybox(), path, &|_, b| b)
    }));
    let other_addr = other.addr.clone();
    let expect = format!("Basic {}", b64("u:p"));
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        if req.auth.as_deref() != Some(expect.as_str()) {
            return Reply::status(401).header("WWW-Authenticate", "Basic realm=\"stub\"");
        }
        if req.path.contains("/blobs/") {
            return Reply::status(307).header(
                "Location",
                &format!("http://{other_addr}/elsewhere{}", req.path),
            );
        }
        fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
    }));
    b(
        env,
        [
            "pull",
            "-q",
            "--creds",
            "u:p",
            &format!("{}/x/bb:1", stub.addr),
        ],
    )
    .assert_success()
    .stdout_is(&format!("{}\n", fixtures::busybox().hex()));
    let seen = other.seen();
    assert!(!seen.is_empty(), "the redirect was not followed");
    assert!(
        seen.iter().all(|s| s.auth.is_none()),
        "credentials followed a cross-origin redirect: {seen:?}"
    );
    assert!(stub.seen().iter().any(|s| s.auth.is_some()));
});

both_modes!(stub_https_never_downgrades_to_http, |env| {
    if !crate::support::require(Need::Tool("openssl")) {
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("berth-stub-tls-")
        .tempdir()
        .unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    test_certs(dir.path());
    // Whatever reaches the plain http side is a downgrade.
    let plain = Stub::start(Arc::new(|req: &Seen| {
        if req.path.starts_with("/token") {
            return Reply::ok(br#"{"token":"T0K3N"}"#.to_vec());
        }
        fixture_reply(
            fixtures::busybox(),
            req.path.trim_start_matches("/plain"),
            &|_, b| b,
        )
    }));
    let plain_addr = plain.addr.clone();
    // 0: blobs redirect to http; 1: the token realm is http; 2: the https token endpoint
    // redirects to http.
    let mode = Arc::new(Mutex::new(0));
    let m2 = mode.clone();
    let me = Arc::new(Mutex::new(String::new()));
    let me2 = me.clone();
    let tls = Stub::start_tls(
        Arc::new(move |req: &Seen| {
            let mode = *m2.lock().unwrap();
            if req.path.starts_with("/token") {
                return Reply::status(307)
                    .header("Location", &format!("http://{plain_addr}/token"));
            }
            if mode > 0 && req.auth.as_deref() != Some("Bearer T0K3N") {
                let realm = if mode == 1 {
                    format!("http://{plain_addr}/token")
                } else {
                    format!("https://{}/token", me2.lock().unwrap())
                };
                return Reply::status(401).header(
                    "WWW-Authenticate",
                    &format!("Bearer realm=\"{realm}\",service=\"stub\""),
                );
            }
            if mode == 0 && req.path.contains("/blobs/") {
                return Reply::status(307).header(
                    "Location",
                    &format!("http://{plain_addr}/plain{}", req.path),
                );
            }
            fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
        }),
        dir.path(),
    );
    *me.lock().unwrap() = tls.addr.clone();
    let r = format!("{}/x/bb:1", tls.addr);
    let ca = dir.path().join("certs");
    let pull = |creds: &[&str]| {
        b(env, ["pull", "--retry", "0", "--cert-dir"])
            .arg(&ca)
            .args(creds)
            .arg(&r)
    };
    b(env, ["images"]).assert_success();
    let before = env.store_snapshot();
    pull(&["--creds", "u:p"])
        .assert_exit(125)
        .stderr_contains("refusing to follow a redirect from https to http");
    env.assert_store_is(&before, "a pull whose blobs redirect to http");
    // The https stub really served the manifest: the refusal came at the blob.
    assert!(
        tls.seen().iter().any(|s| s.path.contains("/blobs/")),
        "{:?}",
        tls.seen()
    );
    *mode.lock().unwrap() = 1;
    pull(&["--creds", "u:p"])
        .assert_exit(125)
        .stderr_contains("is not https: refusing to send credentials over http");
    *mode.lock().unwrap() = 2;
    for creds in [&["--creds", "u:p"][..], &[]] {
        pull(creds)
            .assert_exit(125)
            .stderr_contains("307")
            .stderr_contains("token requests are never redirected");
    }
    env.assert_store_is(&before, "pulls whose token is on http");
    assert!(
        plain.seen().is_empty(),
        "requests went to plain http: {:?}",
        plain.seen()
    );
});

both_modes!(stub_bearer_token_cached_per_scope, |env| {
    let addr = Arc::new(Mutex::new(String::new()));
    let addr2 = addr.clone();
    let expect = format!("Basic {}", b64("bob:pw"));
    let stub = Stub::start(Arc::new(move |req: &Seen| {
        if req.path.starts_with("/token") {
            if req.auth.as_deref() != Some(expect.as_str())
                || !req.path.contains("scope=repository%3Ax%2Fbb%3Apull")
            {
                return Reply::status(401);
            }
            return Reply::ok(br#"{"token":"T0K3N"}"#.to_vec());
        }
        if req.auth.as_deref() != Some("Bearer T0K3N") {
            let realm = format!("http://{}/token", addr2.lock().unwrap());
            return Reply::status(401).header(
                "WWW-Authenticate",
                &format!(
                    "Bearer realm=\"{realm}\",service=\"stub\",scope=\"repository:x/bb:pull\""
                ),
            );
        }
        fixture_reply(fixtures::busybox(), &req.path, &|_, b| b)
    }));
    *addr.lock().unwrap() = stub.addr.clone();
    let r = format!("{}/x/bb:1", stub.addr);
    b(env, ["pull", "-q", "--creds", "bob:pw", &r])
        .assert_success()
        .stdout_is(&format!("{}\n", fixtures::busybox().hex()));
    let tokens = stub
        .seen()
        .iter()
        .filter(|s| s.path.starts_with("/token"))
        .count();
    assert_eq!(tokens, 1, "one token for one scope: {:?}", stub.seen());
    empty_store(env);
    b(env, ["pull", "--creds", "bob:bad", &r])
        .assert_exit(125)
        .stderr_contains("401")
        .stderr_contains("berth login");
});

fn b64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.as_bytes().chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

both_modes!(
    stub_pull_killed_mid_layer_leaves_nothing_to_trip_over,
    |env| {
        // The layer stalls half way (mode 1) until the stub is told otherwise; the pull is
        // SIGKILLed while it waits, then a pull from a healthy stub must succeed.
        let mode = Arc::new(Mutex::new(1));
        let started = Arc::new(Mutex::new(false));
        let (m2, s2) = (mode.clone(), started.clone());
        let layer = fixtures::busybox().layer_digests[0].clone();
        let stub = Stub::start(Arc::new(move |req: &Seen| {
            let r = fixture_reply(fixtures::busybox(), &req.path, &|_, b| b);
            if *m2.lock().unwrap() == 1 && req.path.ends_with(&layer) {
                *s2.lock().unwrap() = true;
                let half = r.body.len() / 2;
                return r.stall(Some(half));
            }
            r
        }));
        let r = format!("{}/x/bb:1", stub.addr);
        b(env, ["images"]).assert_success();
        let before = env.store_snapshot();
        let mut pull = b(env, ["pull", &r]).spawn();
        let t = Instant::now();
        while !*started.lock().unwrap() {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the pull never reached the layer"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Half the layer is in flight: kill the pull (this test's own child).
        std::thread::sleep(Duration::from_millis(200));
        pull.kill().expect("killing the pull");
        let _ = pull.wait();
        env.assert_store_is(&before, "a pull killed half way through a layer");
        *mode.lock().unwrap() = 0;
        b(env, ["pull", &r])
            .assert_success()
            .stdout_contains(fixtures::busybox().hex());
        b(env, ["image", "exists", &r]).assert_success();
    }
);
