//! Network objects (`berth network create|ls|inspect|rm|prune`) and their address management
//! (IPAM): the records under `<store>/networks/`, subnet choice, and one address per container.
//!
//! ```text
//! <store>/networks/<id>.json          a network's record
//! <store>/networks/names/<name>       the name, reserved by an O_EXCL create (holds the id)
//! <store>/networks/lock               taken to create or remove a network (subnet choice)
//! <store>/networks/ipam/<id>/lock     taken to allocate or release an address on one network
//! <store>/networks/ipam/<id>/<ip>     an allocated address; holds the container's id
//! ```
//!
//! An address file is created with O_EXCL under the network's lock, so no two containers ever
//! get one address, even from parallel `run`s in separate processes. This module knows no
//! kernel interfaces: bridges and veths are made elsewhere in `net::`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::net::Ipv4Addr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{self, ErrorKind};
use crate::storage::{atomic, lock};

/// The default network's name; `bridge` is an alias for it (Docker's name for its default).
pub const DEFAULT_NAME: &str = "berth";
/// The default network's subnet (Podman's default is the same).
pub const DEFAULT_SUBNET: &str = "10.88.0.0/16";
/// The default network's bridge interface.
pub const DEFAULT_INTERFACE: &str = "berth0";
/// Where automatic subnets start: 10.89.0.0/24, then 10.89.1.0/24, and so on up to 10.255.255.0.
const AUTO_FIRST: u32 = u32::from_be_bytes([10, 89, 0, 0]);
const AUTO_LAST: u32 = u32::from_be_bytes([10, 255, 255, 0]);
/// A network record larger than this is not read (I6).
const MAX_RECORD: u64 = 1 << 20;

/// An IPv4 subnet, `ADDR/PREFIX`, with no host bits set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    addr: Ipv4Addr,
    prefix: u8,
}

impl Subnet {
    /// The subnet `addr/prefix`; host bits in `addr` are an error.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Subnet> {
        if prefix > 32 {
            bail!(error::invalid(format!(
                "invalid subnet {addr}/{prefix}: the prefix length is at most 32"
            )));
        }
        let s = Subnet { addr, prefix };
        if s.first() != u32::from(addr) {
            bail!(error::invalid(format!(
                "invalid subnet {addr}/{prefix}: it has host bits set (did you mean {}/{prefix}?)",
                Ipv4Addr::from(s.first())
            )));
        }
        Ok(s)
    }

    fn mask(&self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }

    /// The network address, as a number.
    pub fn first(&self) -> u32 {
        u32::from(self.addr) & self.mask()
    }

    /// The broadcast address, as a number.
    pub fn last(&self) -> u32 {
        self.first() | !self.mask()
    }

    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == self.first()
    }

    pub fn overlaps(&self, other: &Subnet) -> bool {
        self.first() <= other.last() && other.first() <= self.last()
    }

    /// True when `other` lies wholly inside this subnet.
    pub fn covers(&self, other: &Subnet) -> bool {
        self.first() <= other.first() && other.last() <= self.last()
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for Subnet {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Subnet> {
        let bad = |why: &str| error::invalid(format!("invalid subnet {s:?}: {why}"));
        let (addr, prefix) = s
            .split_once('/')
            .ok_or_else(|| bad("expected ADDRESS/PREFIX, such as 10.42.0.0/24"))?;
        let addr: Ipv4Addr = addr
            .parse()
            .map_err(|_| bad("only IPv4 subnets are supported, such as 10.42.0.0/24"))?;
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| bad("the prefix length must be a number from 0 to 32"))?;
        Subnet::new(addr, prefix)
    }
}

impl Serialize for Subnet {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Subnet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Subnet, D::Error> {
        let s = String::deserialize(d)?;
        s.parse()
            .map_err(|e| serde::de::Error::custom(format!("{e:#}")))
    }
}

/// A network's record, `<store>/networks/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub created: String,
    pub driver: String,
    pub subnet: Subnet,
    pub gateway: Ipv4Addr,
    /// `--ip-range`: where automatic addresses come from (the whole subnet when absent).
    #[serde(default)]
    pub ip_range: Option<Subnet>,
    #[serde(default)]
    pub internal: bool,
    #[serde(default)]
    pub dns_enabled: bool,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `--opt`, as given (validated: only `mtu` so far).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// The kernel bridge of this network (as root).
    pub interface: String,
}

impl Network {
    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }

    /// `--opt mtu=N`, when given.
    pub fn mtu(&self) -> Option<u32> {
        self.options.get("mtu").and_then(|m| m.parse().ok())
    }

    /// The addresses automatic allocation hands out, in order.
    fn pool(&self) -> (u32, u32) {
        let r = self.ip_range.unwrap_or(self.subnet);
        (r.first(), r.last())
    }

    /// Why `ip` cannot be a container's address on this network, if it cannot.
    fn unusable(&self, ip: Ipv4Addr) -> Option<String> {
        let n = u32::from(ip);
        if !self.subnet.contains(ip) {
            Some(format!("it is not in the subnet {}", self.subnet))
        } else if ip == self.gateway {
            Some("it is the gateway".into())
        } else if self.subnet.prefix() < 31 && (n == self.subnet.first() || n == self.subnet.last())
        {
            Some("it is the subnet's network or broadcast address".into())
        } else {
            None
        }
    }
}

/// What `network create` asks for, validated by [`Networks::create`].
#[derive(Debug, Clone, Default)]
pub struct NetworkSpec {
    pub name: String,
    /// Only "bridge" (the default when empty).
    pub driver: String,
    pub subnet: Option<Subnet>,
    pub gateway: Option<Ipv4Addr>,
    pub ip_range: Option<Subnet>,
    pub internal: bool,
    pub disable_dns: bool,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
}

/// True for names Docker accepts for networks: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn valid_name(name: &str) -> bool {
    let mut b = name.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && name.len() <= 128
}

/// The networks of one store, under `dir` (`<store>/networks`).
#[derive(Debug, Clone)]
pub struct Networks {
    dir: PathBuf,
}

impl Networks {
    pub fn new(dir: &Path) -> Networks {
        Networks {
            dir: dir.to_path_buf(),
        }
    }

    fn names(&self) -> PathBuf {
        self.dir.join("names")
    }

    fn record(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn ipam(&self, id: &str) -> PathBuf {
        self.dir.join("ipam").join(id)
    }

    fn ensure_dirs(&self) -> Result<()> {
        for d in [self.dir.clone(), self.names(), self.dir.join("ipam")] {
            atomic::ensure_private_dir(&d)?;
        }
        Ok(())
    }

    /// Takes the lock that serialises creating and removing networks.
    fn lock(&self) -> Result<lock::Lock> {
        self.ensure_dirs()?;
        lock::exclusive(&self.dir.join("lock"), lock::LOCK_TIMEOUT)
    }

    /// Creates a network. Subnets overlapping another network are refused; an automatic subnet
    /// is the first /24 from 10.89.0.0 that overlaps neither another network nor
    /// `host_routes`. Errors: NameInUse, InvalidInput. Leaves the record and the name.
    pub fn create(&self, spec: NetworkSpec, host_routes: &[Subnet]) -> Result<Network> {
        let lock = self.lock()?;
        self.create_locked(&lock, spec, host_routes, None)
    }

    /// The default network, created on first use with [`DEFAULT_SUBNET`].
    pub fn ensure_default(&self) -> Result<Network> {
        self.ensure_default_with(|| Ok(None))
    }

    /// The default network, created on first use with the subnet `subnet` gives (called only
    /// then; `None`: [`DEFAULT_SUBNET`]).
    pub fn ensure_default_with(
        &self,
        subnet: impl FnOnce() -> Result<Option<Subnet>>,
    ) -> Result<Network> {
        if let Some(n) = self.by_name(DEFAULT_NAME)? {
            return Ok(n);
        }
        let lock = self.lock()?;
        // Another berth may have made it while this one waited for the lock.
        if let Some(n) = self.by_name(DEFAULT_NAME)? {
            return Ok(n);
        }
        let subnet = match subnet()? {
            Some(s) => s,
            None => DEFAULT_SUBNET.parse()?,
        };
        let spec = NetworkSpec {
            name: DEFAULT_NAME.into(),
            subnet: Some(subnet),
            // As in Docker, the default network has no name resolution.
            disable_dns: true,
            ..NetworkSpec::default()
        };
        self.create_locked(&lock, spec, &[], Some(DEFAULT_INTERFACE))
    }

    /// Creates a network while the caller holds the networks lock (`_lock`).
    fn create_locked(
        &self,
        _lock: &lock::Lock,
        spec: NetworkSpec,
        host_routes: &[Subnet],
        interface: Option<&str>,
    ) -> Result<Network> {
        let name = spec.name.clone();
        if !valid_name(&name) {
            bail!(error::invalid(format!(
                "invalid network name {name:?}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
        if matches!(
            name.as_str(),
            "bridge" | "host" | "none" | "pasta" | "slirp4netns" | "default"
        ) {
            bail!(error::invalid(format!(
                "invalid network name {name:?}: it is reserved for a network mode"
            )));
        }
        let driver = match spec.driver.as_str() {
            "" | "bridge" => "bridge".to_string(),
            other => bail!(error::invalid(format!(
                "unsupported network driver {other:?}: berth supports bridge"
            ))),
        };
        for (k, v) in &spec.options {
            match k.as_str() {
                "mtu" => {
                    if !v.parse::<u32>().is_ok_and(|m| (68..=65535).contains(&m)) {
                        bail!(error::invalid(format!(
                            "invalid --opt mtu={v:?}: the MTU is a number from 68 to 65535"
                        )));
                    }
                }
                other => bail!(error::invalid(format!(
                    "unsupported network option {other:?}: berth supports mtu"
                ))),
            }
        }
        if spec.subnet.is_none() && (spec.gateway.is_some() || spec.ip_range.is_some()) {
            bail!(error::invalid(
                "--gateway and --ip-range need --subnet: give the subnet they belong to"
            ));
        }
        let (existing, _) = self.list();
        let subnet = match spec.subnet {
            Some(s) => {
                if let Some(o) = existing.iter().find(|o| o.subnet.overlaps(&s)) {
                    bail!(error::invalid(format!(
                        "subnet {s} overlaps the subnet {} of network {:?}",
                        o.subnet, o.name
                    )));
                }
                if s.prefix() > 30 {
                    bail!(error::invalid(format!(
                        "subnet {s} is too small: it needs room for a gateway and containers (at most /30)"
                    )));
                }
                s
            }
            None => auto_subnet(&existing, host_routes)?,
        };
        let gateway = match spec.gateway {
            Some(g) => {
                let n = u32::from(g);
                if !subnet.contains(g) || n == subnet.first() || n == subnet.last() {
                    bail!(error::invalid(format!(
                        "invalid --gateway {g}: it must be a host address in the subnet {subnet}"
                    )));
                }
                g
            }
            None => Ipv4Addr::from(subnet.first() + 1),
        };
        if let Some(r) = spec.ip_range
            && !subnet.covers(&r)
        {
            bail!(error::invalid(format!(
                "invalid --ip-range {r}: it is not inside the subnet {subnet}"
            )));
        }
        let id = random_id()?;
        let interface = interface
            .map(str::to_string)
            .unwrap_or_else(|| format!("br-{}", &id[..12]));
        let network = Network {
            id: id.clone(),
            name: name.clone(),
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            driver,
            subnet,
            gateway,
            ip_range: spec.ip_range,
            internal: spec.internal,
            dns_enabled: !spec.disable_dns,
            labels: spec.labels,
            options: spec.options,
            interface,
        };
        self.reserve_name(&name, &id)?;
        let written = serde_json::to_vec_pretty(&network)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| atomic::write_file(&self.record(&id), &bytes, 0o600));
        if let Err(e) = written {
            let _ = fs::remove_file(self.names().join(&name));
            return Err(e.context(format!("writing the record of network {name:?}")));
        }
        Ok(network)
    }

    fn reserve_name(&self, name: &str, id: &str) -> Result<()> {
        let path = self.names().join(name);
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path);
        match created {
            Ok(mut f) => f
                .write_all(id.as_bytes())
                .and_then(|()| f.sync_all())
                .with_context(|| format!("reserving network name {name:?}")),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(anyhow::Error::new(
                ErrorKind::NameInUse(format!("network {name:?}")),
            )),
            Err(e) => Err(e).with_context(|| format!("reserving network name {name:?}")),
        }
    }

    fn read(&self, id: &str) -> Result<Network> {
        let path = self.record(id);
        let mut bytes = Vec::new();
        fs::File::open(&path)
            .and_then(|f| f.take(MAX_RECORD).read_to_end(&mut bytes))
            .with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
    }

    /// The network named `name`; `None` also while a create is half done (the name is
    /// reserved before the record is written, both under the networks lock).
    fn by_name(&self, name: &str) -> Result<Option<Network>> {
        match fs::read_to_string(self.names().join(name)) {
            Ok(id) if valid_id(&id) => match self.read(&id) {
                Ok(n) => Ok(Some(n)),
                // Reserved, its record not written yet: a create in progress.
                Err(_) if !self.record(&id).exists() => Ok(None),
                // Written between the two looks (renamed into place whole): read it again.
                Err(_) => self.read(&id).map(Some),
            },
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading the name of network {name:?}")),
        }
    }

    /// Every network, sorted by name, and the records that could not be read (path, why).
    pub fn list(&self) -> (Vec<Network>, Vec<(String, String)>) {
        let mut found = Vec::new();
        let mut broken = Vec::new();
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return (found, broken);
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            if !valid_id(id) {
                continue;
            }
            match self.read(id) {
                Ok(n) => found.push(n),
                Err(err) => broken.push((e.path().display().to_string(), format!("{err:#}"))),
            }
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        (found, broken)
    }

    /// Finds a network by name, full id or unique id prefix; `bridge` is the default network.
    /// Errors: NotFound.
    pub fn resolve(&self, name_or_id: &str) -> Result<Network> {
        let name = if name_or_id == "bridge" {
            DEFAULT_NAME
        } else {
            name_or_id
        };
        if let Some(n) = self.by_name(name)? {
            return Ok(n);
        }
        let (all, _) = self.list();
        let matches: Vec<&Network> = if name_or_id.is_empty() {
            Vec::new()
        } else {
            all.iter()
                .filter(|n| n.id.starts_with(name_or_id))
                .collect()
        };
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(error::not_found(format!(
                "network {name_or_id:?} not found"
            ))),
            _ => Err(error::invalid(format!(
                "network id prefix {name_or_id:?} is ambiguous: give more of the id"
            ))),
        }
    }

    /// Removes `network`'s record, name and allocations. The caller has checked it is unused.
    pub fn remove(&self, network: &Network) -> Result<()> {
        let _lock = self.lock()?;
        let mut errors = Vec::new();
        for p in [self.record(&network.id)] {
            if let Err(e) = fs::remove_file(&p)
                && e.kind() != io::ErrorKind::NotFound
            {
                errors.push(format!("removing {}: {e}", p.display()));
            }
        }
        let name = self.names().join(&network.name);
        if fs::read_to_string(&name).is_ok_and(|id| id == network.id)
            && let Err(e) = fs::remove_file(&name)
        {
            errors.push(format!("removing {}: {e}", name.display()));
        }
        let ipam = self.ipam(&network.id);
        if let Err(e) = fs::remove_dir_all(&ipam)
            && e.kind() != io::ErrorKind::NotFound
        {
            errors.push(format!("removing {}: {e}", ipam.display()));
        }
        if !errors.is_empty() {
            bail!("removing network {:?}: {}", network.name, errors.join("; "));
        }
        Ok(())
    }

    fn ipam_lock(&self, network: &Network) -> Result<lock::Lock> {
        self.ensure_dirs()?;
        let dir = self.ipam(&network.id);
        atomic::ensure_private_dir(&dir)?;
        lock::exclusive(&dir.join("lock"), lock::LOCK_TIMEOUT)
    }

    /// Allocates an address on `network` for container `owner`: `requested` (`--ip`) or the
    /// lowest free one in the pool. An owner that already has an address keeps it. Errors:
    /// InvalidInput for an address outside the subnet or taken, and when the pool is full.
    pub fn allocate(
        &self,
        network: &Network,
        owner: &str,
        requested: Option<Ipv4Addr>,
    ) -> Result<Ipv4Addr> {
        let _lock = self.ipam_lock(network)?;
        if !self.dir.join(format!("{}.json", network.id)).exists() {
            return Err(error::not_found(format!(
                "network {:?} was removed",
                network.name
            )));
        }
        let taken = self.allocations(network);
        if let Some((ip, _)) = taken.iter().find(|(_, o)| o == owner)
            && requested.is_none_or(|r| r == *ip)
        {
            return Ok(*ip);
        }
        let dir = self.ipam(&network.id);
        if let Some(ip) = requested {
            if let Some(why) = network.unusable(ip) {
                bail!(error::invalid(format!(
                    "cannot use --ip {ip} on network {:?}: {why}",
                    network.name
                )));
            }
            if let Some((_, holder)) = taken.iter().find(|(t, _)| *t == ip) {
                bail!(error::invalid(format!(
                    "address {ip} on network {:?} is already in use by container {}",
                    network.name,
                    holder.get(..12).unwrap_or(holder)
                )));
            }
            claim(&dir, ip, owner)?;
            return Ok(ip);
        }
        let (first, last) = network.pool();
        for n in first..=last {
            let ip = Ipv4Addr::from(n);
            if network.unusable(ip).is_some() || taken.iter().any(|(t, _)| *t == ip) {
                continue;
            }
            claim(&dir, ip, owner)?;
            return Ok(ip);
        }
        bail!(error::invalid(format!(
            "network {:?} has no free address left ({} in use)",
            network.name,
            taken.len()
        )))
    }

    /// The addresses allocated on `network` and who holds each, in address order.
    pub fn allocations(&self, network: &Network) -> Vec<(Ipv4Addr, String)> {
        let mut out = Vec::new();
        if let Ok(entries) = fs::read_dir(self.ipam(&network.id)) {
            for e in entries.flatten() {
                let Ok(ip) = e.file_name().to_string_lossy().parse::<Ipv4Addr>() else {
                    continue;
                };
                let owner = fs::read_to_string(e.path()).unwrap_or_default();
                out.push((ip, owner.trim().to_string()));
            }
        }
        out.sort();
        out
    }

    /// Releases every address container `owner` holds, on every network.
    pub fn release_all(&self, owner: &str) -> Result<()> {
        let (all, _) = self.list();
        let mut errors = Vec::new();
        for n in &all {
            if !self.allocations(n).iter().any(|(_, o)| o == owner) {
                continue;
            }
            if let Err(e) = self.release(n, owner) {
                errors.push(format!("{e:#}"));
            }
        }
        if !errors.is_empty() {
            bail!("{}", errors.join("; "));
        }
        Ok(())
    }

    /// Releases `owner`'s address on `network`.
    pub fn release(&self, network: &Network, owner: &str) -> Result<()> {
        let _lock = self.ipam_lock(network)?;
        for (ip, o) in self.allocations(network) {
            if o == owner {
                let p = self.ipam(&network.id).join(ip.to_string());
                fs::remove_file(&p).with_context(|| {
                    format!(
                        "releasing address {ip} on network {:?} ({})",
                        network.name,
                        p.display()
                    )
                })?;
            }
        }
        Ok(())
    }
}

/// Creates the address file for `ip` holding `owner` (O_EXCL: never two holders).
fn claim(dir: &Path, ip: Ipv4Addr, owner: &str) -> Result<()> {
    let path = dir.join(ip.to_string());
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&path)
        .with_context(|| format!("allocating address {ip} ({})", path.display()))?;
    f.write_all(owner.as_bytes())
        .and_then(|()| f.sync_all())
        .with_context(|| format!("allocating address {ip} ({})", path.display()))
}

/// The first free /24 from 10.89.0.0 that overlaps no network and no host route.
fn auto_subnet(existing: &[Network], host_routes: &[Subnet]) -> Result<Subnet> {
    let mut n = AUTO_FIRST;
    while n <= AUTO_LAST {
        let s = Subnet::new(Ipv4Addr::from(n), 24)?;
        let used = existing.iter().any(|o| o.subnet.overlaps(&s))
            || host_routes.iter().any(|r| r.overlaps(&s));
        if !used {
            return Ok(s);
        }
        n += 256;
    }
    bail!("no free subnet left between 10.89.0.0/24 and 10.255.255.0/24: pass --subnet")
}

/// The IPv4 routes of the host from `/proc/net/route`'s text, default routes left out.
pub fn parse_routes(text: &str) -> Vec<Subnet> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let dest = u32::from_str_radix(f.get(1)?, 16).ok()?;
            let mask = u32::from_str_radix(f.get(7)?, 16).ok()?;
            // The file holds the addresses in the kernel's (little-endian here) byte order.
            let dest = Ipv4Addr::from(dest.to_le_bytes());
            let mask = u32::from_be_bytes(mask.to_le_bytes());
            if mask == 0 || mask.leading_ones() + mask.trailing_zeros() != 32 {
                return None;
            }
            Subnet::new(dest, mask.leading_ones() as u8).ok()
        })
        .collect()
}

/// The host's IPv4 routes (empty when they cannot be read).
pub fn host_routes() -> Vec<Subnet> {
    fs::read_to_string("/proc/net/route")
        .map(|t| parse_routes(&t))
        .unwrap_or_default()
}

fn valid_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn random_id() -> Result<String> {
    let mut bytes = [0u8; 32];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom for a network id")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets() -> (tempfile::TempDir, Networks) {
        let t = tempfile::tempdir().unwrap();
        let n = Networks::new(&t.path().join("networks"));
        (t, n)
    }

    fn spec(name: &str) -> NetworkSpec {
        NetworkSpec {
            name: name.into(),
            ..NetworkSpec::default()
        }
    }

    #[test]
    fn subnets_parse_and_compare() {
        let s: Subnet = "10.42.0.0/24".parse().unwrap();
        assert_eq!(s.to_string(), "10.42.0.0/24");
        assert!(s.contains("10.42.0.200".parse().unwrap()));
        assert!(!s.contains("10.42.1.1".parse().unwrap()));
        assert!(s.overlaps(&"10.42.0.128/25".parse().unwrap()));
        assert!(s.overlaps(&"10.0.0.0/8".parse().unwrap()));
        assert!(!s.overlaps(&"10.42.1.0/24".parse().unwrap()));
        for bad in [
            "10.42.0.1/24",
            "10.42.0.0",
            "10.42.0.0/33",
            "fd00::/64",
            "x/24",
            "10.42.0.0/-1",
        ] {
            let e = bad.parse::<Subnet>().unwrap_err();
            assert!(format!("{e:#}").contains("invalid subnet"), "{bad}: {e:#}");
        }
        assert!(
            format!("{:#}", "10.42.0.1/24".parse::<Subnet>().unwrap_err())
                .contains("did you mean 10.42.0.0/24")
        );
    }

    #[test]
    fn routes_come_from_proc_net_route() {
        let text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
            eth0\t0000590A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n\
            eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
        let routes = parse_routes(text);
        assert_eq!(
            routes,
            vec![
                "10.89.0.0/24".parse::<Subnet>().unwrap(),
                "192.168.0.0/16".parse().unwrap()
            ]
        );
    }

    #[test]
    fn automatic_subnets_avoid_networks_and_routes() {
        let (_t, n) = nets();
        let routes = vec!["10.89.1.0/24".parse().unwrap()];
        let a = n.create(spec("na"), &routes).unwrap();
        let b = n.create(spec("nb"), &routes).unwrap();
        assert_eq!(a.subnet.to_string(), "10.89.0.0/24");
        assert_eq!(a.gateway.to_string(), "10.89.0.1");
        assert_eq!(b.subnet.to_string(), "10.89.2.0/24");
        assert_eq!(b.interface, format!("br-{}", &b.id[..12]));
        let e = n
            .create(
                NetworkSpec {
                    subnet: Some("10.89.0.0/16".parse().unwrap()),
                    ..spec("c")
                },
                &[],
            )
            .unwrap_err();
        assert!(format!("{e:#}").contains("overlaps"), "{e:#}");
        let e = n.create(spec("na"), &routes).unwrap_err();
        assert!(matches!(error::kind_of(&e), Some(ErrorKind::NameInUse(_))));
        assert_eq!(n.resolve("na").unwrap(), a);
        assert_eq!(n.resolve(&b.id[..6]).unwrap(), b);
        assert!(matches!(
            error::kind_of(&n.resolve("zz").unwrap_err()),
            Some(ErrorKind::NotFound(_))
        ));
        n.remove(&a).unwrap();
        // (Names that are not hex: "a" alone could be a prefix of b's random id.)
        assert!(n.resolve("na").is_err());
        // Its subnet is free again.
        assert_eq!(
            n.create(spec("na2"), &routes).unwrap().subnet.to_string(),
            "10.89.0.0/24"
        );
    }

    #[test]
    fn create_validates_its_input() {
        let (_t, n) = nets();
        let with = |f: &dyn Fn(&mut NetworkSpec)| {
            let mut s = spec("x");
            f(&mut s);
            format!("{:#}", n.create(s, &[]).unwrap_err())
        };
        assert!(with(&|s| s.name = "-x".into()).contains("invalid network name"));
        assert!(with(&|s| s.name = "bridge".into()).contains("reserved"));
        assert!(with(&|s| s.driver = "macvlan".into()).contains("unsupported network driver"));
        assert!(
            with(&|s| {
                s.options.insert("mtu".into(), "9".into());
            })
            .contains("mtu")
        );
        assert!(
            with(&|s| {
                s.options.insert("foo".into(), "1".into());
            })
            .contains("unsupported network option")
        );
        assert!(with(&|s| s.gateway = Some("10.1.0.1".parse().unwrap())).contains("need --subnet"));
        assert!(
            with(&|s| {
                s.subnet = Some("10.42.0.0/24".parse().unwrap());
                s.gateway = Some("10.43.0.1".parse().unwrap());
            })
            .contains("invalid --gateway")
        );
        assert!(
            with(&|s| {
                s.subnet = Some("10.42.0.0/24".parse().unwrap());
                s.ip_range = Some("10.42.1.0/28".parse().unwrap());
            })
            .contains("invalid --ip-range")
        );
        assert!(n.list().0.is_empty(), "a refused create left a network");
    }

    #[test]
    fn the_default_network_is_made_once() {
        let (_t, n) = nets();
        let d = n.ensure_default().unwrap();
        assert_eq!(d.subnet.to_string(), DEFAULT_SUBNET);
        assert_eq!(d.interface, DEFAULT_INTERFACE);
        assert_eq!(n.ensure_default().unwrap(), d);
        assert_eq!(n.resolve("bridge").unwrap(), d);
        // Automatic subnets do not collide with it.
        assert_eq!(
            n.create(spec("a"), &[]).unwrap().subnet.to_string(),
            "10.89.0.0/24"
        );
    }

    #[test]
    fn ipam_hands_out_each_address_once() {
        let (_t, n) = nets();
        let net = n
            .create(
                NetworkSpec {
                    subnet: Some("10.42.0.0/24".parse().unwrap()),
                    gateway: Some("10.42.0.1".parse().unwrap()),
                    ..spec("a")
                },
                &[],
            )
            .unwrap();
        assert_eq!(
            n.allocate(&net, "c1", None).unwrap().to_string(),
            "10.42.0.2"
        );
        // Asking again keeps the address.
        assert_eq!(
            n.allocate(&net, "c1", None).unwrap().to_string(),
            "10.42.0.2"
        );
        let want: Ipv4Addr = "10.42.0.50".parse().unwrap();
        assert_eq!(n.allocate(&net, "c2", Some(want)).unwrap(), want);
        let e = n.allocate(&net, "c3", Some(want)).unwrap_err();
        assert!(
            format!("{e:#}").contains("already in use by container c2"),
            "{e:#}"
        );
        for bad in ["10.42.0.1", "10.42.0.0", "10.42.0.255", "10.43.0.5"] {
            let e = n
                .allocate(&net, "c3", Some(bad.parse().unwrap()))
                .unwrap_err();
            assert!(format!("{e:#}").contains("cannot use --ip"), "{bad}: {e:#}");
        }
        assert_eq!(
            n.allocate(&net, "c3", None).unwrap().to_string(),
            "10.42.0.3"
        );
        n.release_all("c1").unwrap();
        assert_eq!(
            n.allocate(&net, "c4", None).unwrap().to_string(),
            "10.42.0.2"
        );
        let held: Vec<String> = n.allocations(&net).into_iter().map(|(_, o)| o).collect();
        assert_eq!(held, ["c4", "c3", "c2"]);
    }

    #[test]
    fn ip_range_bounds_automatic_addresses_and_a_full_pool_is_an_error() {
        let (_t, n) = nets();
        let net = n
            .create(
                NetworkSpec {
                    subnet: Some("10.42.0.0/24".parse().unwrap()),
                    ip_range: Some("10.42.0.128/31".parse().unwrap()),
                    ..spec("a")
                },
                &[],
            )
            .unwrap();
        assert_eq!(
            n.allocate(&net, "a", None).unwrap().to_string(),
            "10.42.0.128"
        );
        assert_eq!(
            n.allocate(&net, "b", None).unwrap().to_string(),
            "10.42.0.129"
        );
        let e = n.allocate(&net, "c", None).unwrap_err();
        assert!(format!("{e:#}").contains("no free address"), "{e:#}");
    }

    #[test]
    fn twenty_parallel_allocations_get_twenty_addresses() {
        let (_t, n) = nets();
        let net = n.create(spec("par"), &[]).unwrap();
        let got: Vec<Ipv4Addr> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..20)
                .map(|i| {
                    let (n, net) = (n.clone(), net.clone());
                    s.spawn(move || n.allocate(&net, &format!("c{i}"), None).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut distinct = got.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 20, "{got:?}");
        assert_eq!(n.allocations(&net).len(), 20);
    }
}
