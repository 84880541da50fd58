//! Fixture images, built from Debian's `busybox-static` (and a debootstrap rootfs or a generated
//! tree for the big one) once per test run under `target/tmp/berth-fixtures/`, then reused.
//!
//! Each fixture exists as an OCI image layout directory, a docker-archive tar (the shape
//! `docker save`/`podman save` write) and an oci-archive tar. Everything is reproducible: fixed
//! owners and mtimes, sorted entries, gzip without a timestamp. Builds are safe to race: each is
//! done in a private temp dir and renamed into place, and a process-wide `OnceLock` builds each
//! fixture at most once per test binary. This module never touches berth's store.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::tarball::{self, TarBuilder};

/// Bump when the fixture recipes change, so stale builds under target/ are not reused.
const FIXTURE_VERSION: u32 = 3;

/// The static busybox from Debian's `busybox-static`.
pub const BUSYBOX: &str = "/bin/busybox";

/// Where `ci/setup.sh` leaves a debootstrap rootfs tarball for the big fixture
/// (`BERTH_TEST_BIG_ROOTFS` overrides it).
pub const DEBOOTSTRAP_TAR: &str = "/var/cache/berth-tests/bookworm-minbase.tar";

const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
pub const MEDIA_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MEDIA_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MEDIA_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MEDIA_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// A built fixture image and where its files are.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Image {
    /// Repository as Docker shows it: `busybox`.
    pub repo: String,
    /// `busybox:latest`: what berth prints for it (Docker's short form).
    pub reference: String,
    /// `docker.io/library/busybox:latest`.
    pub full_reference: String,
    /// The image id: `sha256:` + the config digest.
    pub id: String,
    /// `rootfs.diff_ids`: digests of the uncompressed layer tars.
    pub diff_ids: Vec<String>,
    /// Digests of the gzip-compressed layers (OCI layout and oci-archive).
    pub layer_digests: Vec<String>,
    /// Sizes in bytes of the uncompressed layer tars.
    pub layer_sizes: Vec<u64>,
    pub manifest_digest: String,
    /// `created` of the config, RFC 3339.
    pub created: String,
    /// `history[].created_by`, oldest first.
    pub history: Vec<String>,
    /// The config JSON.
    pub config: Value,
    /// The fixture's directory.
    pub dir: PathBuf,
    /// An OCI image layout directory (`oci:` references).
    pub oci_layout: PathBuf,
    /// A docker-archive tar, tagged `reference`.
    pub docker_archive: PathBuf,
    /// An oci-archive tar, annotated with `reference`.
    pub oci_archive: PathBuf,
    /// The uncompressed layer tars, lowest first (usable as `berth import` input).
    pub layer_tars: Vec<PathBuf>,
    /// The same, gzip-compressed.
    pub layer_gzips: Vec<PathBuf>,
    /// The config blob as written.
    pub config_file: PathBuf,
    /// The manifest blob as written.
    pub manifest_file: PathBuf,
}

impl Image {
    /// The 64 hex digits of the id.
    pub fn hex(&self) -> &str {
        self.id.trim_start_matches("sha256:")
    }

    /// The 12-hex short id Docker prints.
    pub fn short_id(&self) -> &str {
        &self.hex()[..12]
    }

    /// The tag part of `reference`.
    pub fn tag(&self) -> &str {
        self.reference
            .rsplit_once(':')
            .map(|(_, t)| t)
            .unwrap_or("latest")
    }

    pub fn config_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.config_file).expect("reading fixture config")
    }

    pub fn manifest_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.manifest_file).expect("reading fixture manifest")
    }

    pub fn docker_archive_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.docker_archive).expect("reading fixture archive")
    }

    pub fn oci_archive_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.oci_archive).expect("reading fixture archive")
    }
}

/// `busybox:latest`: one gzip layer with /bin/busybox, its applet links, /etc/passwd and
/// /etc/group (root, nobody), /tmp 1777; Cmd `["sh"]`.
pub fn busybox() -> &'static Image {
    static IMG: OnceLock<Image> = OnceLock::new();
    IMG.get_or_init(|| {
        build("busybox", &busybox_key(), |_| Recipe {
            repo: "busybox",
            tag: "latest",
            created: "2024-01-01T00:00:00Z",
            layers: vec![busybox_layer()],
            history: vec![
                ("/bin/sh -c #(nop) ADD file:busybox-static in / ", false),
                ("/bin/sh -c #(nop)  CMD [\"sh\"]", true),
            ],
            config: json!({ "Env": [PATH_ENV], "Cmd": ["sh"] }),
        })
    })
}

/// `second:latest`: busybox's layer plus a layer with /hello, a different config (Cmd, labels,
/// env, workdir, exposed port, volume, stop signal), created later than busybox.
pub fn second() -> &'static Image {
    static IMG: OnceLock<Image> = OnceLock::new();
    IMG.get_or_init(|| {
        build("second", &busybox_key(), |_| {
            let mut hello = TarBuilder::new();
            hello.file("hello", 0o644, b"hello from the second fixture\n");
            Recipe {
                repo: "second",
                tag: "latest",
                created: "2024-06-01T00:00:00Z",
                layers: vec![busybox_layer(), LayerSrc::Bytes(hello.finish())],
                history: vec![
                    ("/bin/sh -c #(nop) ADD file:busybox-static in / ", false),
                    ("/bin/sh -c #(nop)  CMD [\"sh\"]", true),
                    ("/bin/sh -c #(nop) COPY file:hello in /hello ", false),
                    ("/bin/sh -c #(nop)  CMD [\"cat\" \"/hello\"]", true),
                ],
                config: json!({
                    "User": "nobody",
                    "ExposedPorts": { "8080/tcp": {} },
                    "Env": [PATH_ENV, "FIXTURE=second"],
                    "Cmd": ["cat", "/hello"],
                    "Volumes": { "/data": {} },
                    "WorkingDir": "/tmp",
                    "Labels": { "org.example.fixture": "second", "org.example.empty": "" },
                    "StopSignal": "SIGINT",
                }),
            }
        })
    })
}

/// `big:latest`: a many-file image for load/save size tests and the benchmarks. A debootstrap
/// Debian rootfs when `ci/setup.sh` cached one, else a generated tree (a few thousand files,
/// about 80 MB uncompressed).
pub fn big() -> &'static Image {
    static IMG: OnceLock<Image> = OnceLock::new();
    IMG.get_or_init(|| {
        let src = big_rootfs_tar();
        let key = match &src {
            Some(p) => format!("deb-{}", file_key(p)),
            None => "generated".to_string(),
        };
        build("big", &key, |dir| {
            let layer = match &src {
                Some(p) => LayerSrc::File(p.clone()),
                None => {
                    let p = dir.join("generated.tar");
                    generate_tree(&p);
                    LayerSrc::File(p)
                }
            };
            Recipe {
                repo: "big",
                tag: "latest",
                created: "2024-03-01T00:00:00Z",
                layers: vec![layer],
                history: vec![("/bin/sh -c #(nop) ADD file:rootfs in / ", false)],
                config: json!({ "Env": [PATH_ENV], "Cmd": ["/bin/sh"] }),
            }
        })
    })
}

fn big_rootfs_tar() -> Option<PathBuf> {
    let p = std::env::var_os("BERTH_TEST_BIG_ROOTFS")
        .map(PathBuf::from)
        .unwrap_or_else(|| DEBOOTSTRAP_TAR.into());
    p.metadata().is_ok_and(|m| m.len() > 0).then_some(p)
}

/// The directory fixtures live in.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("berth-fixtures")
}

/// The host's architecture as OCI spells it.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

fn file_key(p: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let m = p
        .metadata()
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    format!("{}-{}", m.size(), m.mtime())
}

fn busybox_key() -> String {
    assert!(
        Path::new(BUSYBOX).exists(),
        "{BUSYBOX} is missing: install Debian's busybox-static (ci/setup.sh)"
    );
    file_key(Path::new(BUSYBOX))
}

/// The busybox layer, identical bytes for every fixture that uses it.
fn busybox_layer() -> LayerSrc {
    static LAYER: OnceLock<Vec<u8>> = OnceLock::new();
    LayerSrc::Bytes(
        LAYER
            .get_or_init(|| {
                let bin = std::fs::read(BUSYBOX).expect("reading busybox");
                let list = Command::new(BUSYBOX).arg("--list").output().expect("busybox --list");
                let mut applets: Vec<String> = String::from_utf8_lossy(&list.stdout)
                    .lines()
                    .map(str::trim)
                    .filter(|a| !a.is_empty() && *a != "busybox" && !a.contains('/'))
                    .map(String::from)
                    .collect();
                applets.sort();
                applets.dedup();
                let mut t = TarBuilder::new();
                t.dir("bin/", 0o755);
                t.file("bin/busybox", 0o755, &bin);
                for a in &applets {
                    t.symlink(&format!("bin/{a}"), "busybox");
                }
                t.dir("etc/", 0o755);
                t.file("etc/group", 0o644, b"root:x:0:\nnobody:x:65534:\n");
                t.file(
                    "etc/passwd",
                    0o644,
                    b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
                );
                t.dir("root/", 0o700);
                t.dir("tmp/", 0o1777);
                t.dir("var/", 0o755);
                t.finish()
            })
            .clone(),
    )
}

/// A deterministic tree: ~3000 files in nested dirs, sizes from bytes to megabytes, half of them
/// compressible text and half incompressible, plus symlinks and hardlinks.
fn generate_tree(out: &Path) {
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut t = TarBuilder::new();
    t.dir("usr/", 0o755);
    t.dir("usr/share/", 0o755);
    for d in 0..60 {
        t.dir(&format!("usr/share/d{d:02}/"), 0o755);
        for f in 0..50 {
            let n = d * 50 + f;
            let size = match n % 10 {
                0 => 128 * 1024 + (next() % (128 * 1024)) as usize,
                1..=3 => 16 * 1024 + (next() % 16384) as usize,
                _ => (next() % 4096) as usize,
            };
            // Half the big files and half the others are text, the rest random.
            let text = if n % 10 == 0 {
                (n / 10) % 2 == 0
            } else {
                n % 2 == 0
            };
            let data: Vec<u8> = if text {
                let line = format!(
                    "line of generated text for file {n}, deterministic and compressible\n"
                );
                line.bytes().cycle().take(size).collect()
            } else {
                let mut v = Vec::with_capacity(size + 8);
                while v.len() < size {
                    v.extend_from_slice(&next().to_le_bytes());
                }
                v.truncate(size);
                v
            };
            t.file(&format!("usr/share/d{d:02}/f{f:02}"), 0o644, &data);
            if f % 10 == 9 {
                t.symlink(
                    &format!("usr/share/d{d:02}/l{f:02}"),
                    &format!("f{:02}", f - 1),
                );
                t.hardlink(
                    &format!("usr/share/d{d:02}/h{f:02}"),
                    &format!("usr/share/d{d:02}/f{f:02}"),
                );
            }
        }
    }
    std::fs::write(out, t.finish()).expect("writing generated tree");
}

enum LayerSrc {
    Bytes(Vec<u8>),
    File(PathBuf),
}

struct Recipe {
    repo: &'static str,
    tag: &'static str,
    created: &'static str,
    layers: Vec<LayerSrc>,
    /// `(created_by, empty_layer)`, oldest first.
    history: Vec<(&'static str, bool)>,
    /// The `config` object of the image config.
    config: Value,
}

/// Builds (or reuses) a fixture: `<fixtures>/<name>-v<N>-<key>/`.
fn build(name: &str, key: &str, recipe: impl FnOnce(&Path) -> Recipe) -> Image {
    let base = fixtures_dir();
    std::fs::create_dir_all(&base).expect("creating fixtures dir");
    let final_dir = base.join(format!("{name}-v{FIXTURE_VERSION}-{key}"));
    let meta = final_dir.join("meta.json");
    if let Ok(bytes) = std::fs::read(&meta) {
        return serde_json::from_slice(&bytes).expect("parsing fixture meta.json");
    }
    let tmp = base.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        super::random_hex(4)
    ));
    std::fs::create_dir_all(&tmp).expect("creating fixture temp dir");
    let image = make(name, &tmp, recipe(&tmp));
    // Everything under the fixture refers to final_dir; write meta with final paths.
    let image = relocate(image, &tmp, &final_dir);
    std::fs::write(
        tmp.join("meta.json"),
        serde_json::to_vec_pretty(&image).unwrap(),
    )
    .expect("writing meta.json");
    match std::fs::rename(&tmp, &final_dir) {
        Ok(()) => {}
        Err(_) if final_dir.join("meta.json").exists() => {
            // Another test binary won the race; its build is identical.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(e) => panic!("renaming fixture {} into place: {e}", final_dir.display()),
    }
    image
}

fn relocate(mut i: Image, from: &Path, to: &Path) -> Image {
    let fix = |p: &mut PathBuf| {
        if let Ok(rel) = p.strip_prefix(from) {
            *p = to.join(rel);
        }
    };
    fix(&mut i.dir);
    fix(&mut i.oci_layout);
    fix(&mut i.docker_archive);
    fix(&mut i.oci_archive);
    fix(&mut i.config_file);
    fix(&mut i.manifest_file);
    i.layer_tars.iter_mut().for_each(fix);
    i.layer_gzips.iter_mut().for_each(fix);
    i
}

/// Files larger than this are hashed and compressed with the host's `sha256sum` and `gzip`
/// (much faster than the debug-built Rust crates the tests link).
const EXTERNAL_TOOLS_ABOVE: u64 = 16 << 20;

fn sha256_file(p: &Path) -> String {
    let size = p.metadata().expect("stat").len();
    if size > EXTERNAL_TOOLS_ABOVE {
        let out = Command::new("sha256sum")
            .arg(p)
            .output()
            .expect("running sha256sum");
        assert!(out.status.success(), "sha256sum {} failed", p.display());
        let s = String::from_utf8_lossy(&out.stdout);
        format!(
            "sha256:{}",
            s.split_whitespace().next().expect("sha256sum output")
        )
    } else {
        tarball::digest(&std::fs::read(p).expect("reading file to hash"))
    }
}

fn gzip_file(src: &Path, dst: &Path) {
    let size = src.metadata().expect("stat").len();
    if size > EXTERNAL_TOOLS_ABOVE {
        let out = std::fs::File::create(dst).expect("creating gzip output");
        let st = Command::new("gzip")
            .args(["-n", "-1", "-c"])
            .arg(src)
            .stdout(out)
            .status()
            .expect("running gzip");
        assert!(st.success(), "gzip {} failed", src.display());
    } else {
        std::fs::write(
            dst,
            tarball::gzip(&std::fs::read(src).expect("reading layer")),
        )
        .expect("writing gzip");
    }
}

fn make(name: &str, dir: &Path, r: Recipe) -> Image {
    let layers_dir = dir.join("layers");
    std::fs::create_dir_all(&layers_dir).unwrap();
    let mut layer_tars = Vec::new();
    let mut layer_gzips = Vec::new();
    let mut diff_ids = Vec::new();
    let mut layer_digests = Vec::new();
    let mut layer_sizes = Vec::new();
    for (i, l) in r.layers.into_iter().enumerate() {
        let tar = layers_dir.join(format!("{i}.tar"));
        match l {
            LayerSrc::Bytes(b) => std::fs::write(&tar, b).unwrap(),
            LayerSrc::File(p) => {
                if std::fs::hard_link(&p, &tar).is_err() {
                    std::fs::copy(&p, &tar).expect("copying layer source");
                }
            }
        }
        let gz = layers_dir.join(format!("{i}.tar.gz"));
        gzip_file(&tar, &gz);
        diff_ids.push(sha256_file(&tar));
        layer_digests.push(sha256_file(&gz));
        layer_sizes.push(tar.metadata().unwrap().len());
        layer_tars.push(tar);
        layer_gzips.push(gz);
    }
    let history: Vec<Value> = r
        .history
        .iter()
        .map(|(by, empty)| {
            let mut h = json!({ "created": r.created, "created_by": by });
            if *empty {
                h["empty_layer"] = json!(true);
            }
            h
        })
        .collect();
    let config = json!({
        "architecture": host_arch(),
        "config": r.config,
        "created": r.created,
        "history": history,
        "os": "linux",
        "rootfs": { "type": "layers", "diff_ids": diff_ids },
    });
    let config_bytes = serde_json::to_vec(&config).unwrap();
    let config_digest = tarball::digest(&config_bytes);
    let config_file = dir.join("config.json");
    std::fs::write(&config_file, &config_bytes).unwrap();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": { "mediaType": MEDIA_CONFIG, "digest": config_digest, "size": config_bytes.len() },
        "layers": layer_digests.iter().zip(&layer_gzips).map(|(d, p)| json!({
            "mediaType": MEDIA_LAYER_GZIP,
            "digest": d,
            "size": p.metadata().unwrap().len(),
        })).collect::<Vec<_>>(),
    });
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    let manifest_file = dir.join("manifest.json");
    std::fs::write(&manifest_file, &manifest_bytes).unwrap();
    let reference = format!("{}:{}", r.repo, r.tag);
    let image = Image {
        repo: r.repo.to_string(),
        full_reference: format!("docker.io/library/{reference}"),
        reference,
        id: config_digest,
        diff_ids,
        layer_digests,
        layer_sizes,
        manifest_digest: tarball::digest(&manifest_bytes),
        created: r.created.to_string(),
        history: r.history.iter().map(|(b, _)| b.to_string()).collect(),
        config,
        dir: dir.to_path_buf(),
        oci_layout: dir.join("oci"),
        docker_archive: dir.join(format!("{name}.docker-archive.tar")),
        oci_archive: dir.join(format!("{name}.oci-archive.tar")),
        layer_tars,
        layer_gzips,
        config_file,
        manifest_file,
    };
    let tagged = [(&image, vec![image.reference.clone()])];
    write_oci_layout(&image.oci_layout, &tagged);
    write_docker_archive(&image.docker_archive, &tagged);
    write_oci_archive(&image.oci_archive, &tagged);
    image
}

/// The index.json annotations `docker save` (moby ≥ 25) writes for a name: the full name for
/// containerd, and the tag as `org.opencontainers.image.ref.name`.
fn ref_annotations(name: &str) -> Value {
    let full = if name.contains('/') {
        name.to_string()
    } else {
        format!("docker.io/library/{name}")
    };
    let tag = name.rsplit_once(':').map(|(_, t)| t).unwrap_or("latest");
    json!({ "io.containerd.image.name": full, "org.opencontainers.image.ref.name": tag })
}

fn index_json(images: &[(&Image, Vec<String>)]) -> Vec<u8> {
    let mut manifests = Vec::new();
    for (img, names) in images {
        let size = img.manifest_file.metadata().unwrap().len();
        let base =
            json!({ "mediaType": MEDIA_MANIFEST, "digest": img.manifest_digest, "size": size });
        if names.is_empty() {
            manifests.push(base.clone());
        }
        for n in names {
            let mut d = base.clone();
            d["annotations"] = ref_annotations(n);
            manifests.push(d);
        }
    }
    serde_json::to_vec(
        &json!({ "schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": manifests }),
    )
    .unwrap()
}

/// Writes an OCI image layout directory holding `images`, each annotated with its names.
pub fn write_oci_layout(dir: &Path, images: &[(&Image, Vec<String>)]) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    for (img, _) in images {
        let hex = |d: &str| d.trim_start_matches("sha256:").to_string();
        std::fs::copy(&img.config_file, blobs.join(hex(&img.id))).unwrap();
        std::fs::copy(&img.manifest_file, blobs.join(hex(&img.manifest_digest))).unwrap();
        for (d, p) in img.layer_digests.iter().zip(&img.layer_gzips) {
            let dst = blobs.join(hex(d));
            if !dst.exists() && std::fs::hard_link(p, &dst).is_err() {
                std::fs::copy(p, &dst).unwrap();
            }
        }
    }
    std::fs::write(dir.join("index.json"), index_json(images)).unwrap();
}

fn append_file(b: &mut TarBuilder, name: &str, path: &Path) {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let size = f.metadata().unwrap().len();
    b.file_from(name, 0o644, size, f.take(size));
}

/// Writes an oci-archive (a tar of an OCI layout) holding `images`.
pub fn write_oci_archive(path: &Path, images: &[(&Image, Vec<String>)]) {
    let mut b = TarBuilder::new();
    b.file("oci-layout", 0o644, br#"{"imageLayoutVersion":"1.0.0"}"#);
    b.file("index.json", 0o644, &index_json(images));
    b.dir("blobs/", 0o755);
    b.dir("blobs/sha256/", 0o755);
    let mut seen = std::collections::BTreeSet::new();
    for (img, _) in images {
        let mut blobs = vec![
            (img.id.clone(), img.config_file.clone()),
            (img.manifest_digest.clone(), img.manifest_file.clone()),
        ];
        blobs.extend(
            img.layer_digests
                .iter()
                .cloned()
                .zip(img.layer_gzips.iter().cloned()),
        );
        for (d, p) in blobs {
            if seen.insert(d.clone()) {
                append_file(
                    &mut b,
                    &format!("blobs/sha256/{}", d.trim_start_matches("sha256:")),
                    &p,
                );
            }
        }
    }
    std::fs::write(path, b.finish()).unwrap();
}

/// Writes a docker-archive the way `docker save` does: `manifest.json`, `repositories`, the
/// config as `<hex>.json`, and each layer uncompressed as `<diff-id hex>/layer.tar`. An image
/// with no names gets `"RepoTags": null`.
pub fn write_docker_archive(path: &Path, images: &[(&Image, Vec<String>)]) {
    let mut b = TarBuilder::new();
    let mut manifest = Vec::new();
    let mut repositories = serde_json::Map::new();
    let mut seen = std::collections::BTreeSet::new();
    for (img, names) in images {
        let cfg_name = format!("{}.json", img.hex());
        if seen.insert(cfg_name.clone()) {
            append_file(&mut b, &cfg_name, &img.config_file);
        }
        let mut layers = Vec::new();
        for (d, p) in img.diff_ids.iter().zip(&img.layer_tars) {
            let hex = d.trim_start_matches("sha256:");
            let lname = format!("{hex}/layer.tar");
            if seen.insert(lname.clone()) {
                b.dir(&format!("{hex}/"), 0o755);
                b.file(&format!("{hex}/VERSION"), 0o644, b"1.0");
                b.file(
                    &format!("{hex}/json"),
                    0o644,
                    format!("{{\"id\":\"{hex}\"}}").as_bytes(),
                );
                append_file(&mut b, &lname, p);
            }
            layers.push(lname);
        }
        let top = img
            .diff_ids
            .last()
            .map(|d| d.trim_start_matches("sha256:").to_string())
            .unwrap_or_default();
        for n in names {
            let (repo, tag) = n.rsplit_once(':').unwrap_or((n, "latest"));
            repositories
                .entry(repo.to_string())
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .unwrap()
                .insert(tag.to_string(), json!(top));
        }
        manifest.push(json!({
            "Config": cfg_name,
            "RepoTags": if names.is_empty() { Value::Null } else { json!(names) },
            "Layers": layers,
        }));
    }
    b.file(
        "manifest.json",
        0o644,
        &serde_json::to_vec(&manifest).unwrap(),
    );
    if !repositories.is_empty() {
        b.file(
            "repositories",
            0o644,
            &serde_json::to_vec(&repositories).unwrap(),
        );
    }
    std::fs::write(path, b.finish()).unwrap();
}

/// A made-to-order image for one test: a config and layer blobs with their media types.
pub struct Parts {
    /// The manifest's media type (OCI or Docker schema 2).
    pub manifest_media_type: &'static str,
    pub config_media_type: &'static str,
    /// The `config` object of the image config.
    pub config: Value,
    /// `(media type, blob as stored, uncompressed tar)`, lowest first.
    pub layers: Vec<(&'static str, Vec<u8>, Vec<u8>)>,
}

pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

impl Parts {
    /// OCI manifest and config types, config `{"Cmd": ["sh"]}`, no layers yet.
    pub fn oci() -> Parts {
        Parts {
            manifest_media_type: MEDIA_MANIFEST,
            config_media_type: MEDIA_CONFIG,
            config: json!({ "Env": [PATH_ENV], "Cmd": ["sh"] }),
            layers: Vec::new(),
        }
    }

    /// The image config these parts make, and its id.
    pub fn config_bytes(&self) -> (Vec<u8>, String) {
        let diff_ids: Vec<String> = self
            .layers
            .iter()
            .map(|(_, _, tar)| tarball::digest(tar))
            .collect();
        let config = json!({
            "architecture": host_arch(),
            "config": self.config,
            "created": "2024-02-01T00:00:00Z",
            "os": "linux",
            "rootfs": { "type": "layers", "diff_ids": diff_ids },
        });
        let bytes = serde_json::to_vec(&config).unwrap();
        let id = tarball::digest(&bytes);
        (bytes, id)
    }

    /// An oci-archive holding the image under `name` (e.g. `custom:latest`).
    pub fn oci_archive(&self, name: &str) -> Vec<u8> {
        let (config, config_digest) = self.config_bytes();
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": self.manifest_media_type,
            "config": { "mediaType": self.config_media_type, "digest": config_digest, "size": config.len() },
            "layers": self.layers.iter().map(|(mt, blob, _)| json!({
                "mediaType": mt, "digest": tarball::digest(blob), "size": blob.len(),
            })).collect::<Vec<_>>(),
        });
        let manifest = serde_json::to_vec(&manifest).unwrap();
        let index = json!({
            "schemaVersion": 2,
            "mediaType": MEDIA_INDEX,
            "manifests": [{
                "mediaType": self.manifest_media_type,
                "digest": tarball::digest(&manifest),
                "size": manifest.len(),
                "annotations": ref_annotations(name),
            }],
        });
        let mut b = TarBuilder::new();
        b.file("oci-layout", 0o644, br#"{"imageLayoutVersion":"1.0.0"}"#);
        b.file("index.json", 0o644, &serde_json::to_vec(&index).unwrap());
        b.dir("blobs/", 0o755);
        b.dir("blobs/sha256/", 0o755);
        let mut seen = std::collections::BTreeSet::new();
        let blobs = [config, manifest]
            .into_iter()
            .chain(self.layers.iter().map(|(_, b, _)| b.clone()));
        for blob in blobs {
            let d = tarball::digest(&blob);
            if seen.insert(d.clone()) {
                b.file(
                    &format!("blobs/sha256/{}", d.trim_start_matches("sha256:")),
                    0o644,
                    &blob,
                );
            }
        }
        b.finish()
    }
}
