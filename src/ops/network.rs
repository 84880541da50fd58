//! The network verbs (`berth network create|ls|inspect|rm|prune|exists|connect|disconnect`) and
//! the part of container create/start/remove that concerns networks: which `--network` values
//! name a network object, the name options and `-P` checked at create, each start's bridge
//! plan (with the networks `connect` added) and its /etc/hosts and resolv.conf, and releasing a
//! container's addresses and veths when it is removed.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::net::network::{self, Network, NetworkSpec, Networks};
use crate::storage::Store;

/// The networks of `ctx`'s store (opening the store creates it on first use), after releasing
/// what containers killed unseen left (`net_reconcile`).
fn networks(ctx: &Context) -> Result<(Store, Networks)> {
    let store = Store::open(ctx)?;
    super::net_reconcile::sweep(ctx, &store);
    let nets = Networks::new(&store.networks());
    Ok((store, nets))
}

/// What `network create` asks for, as the user spelt it.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub name: String,
    pub driver: Option<String>,
    pub subnet: Option<String>,
    pub gateway: Option<String>,
    pub ip_range: Option<String>,
    pub internal: bool,
    pub disable_dns: bool,
    /// `KEY=VALUE` or `KEY`.
    pub labels: Vec<String>,
    /// `KEY=VALUE`.
    pub options: Vec<String>,
    /// Succeed without change when a network of that name exists.
    pub ignore: bool,
}

/// Creates a network (the default one first, so automatic subnets never take its range).
/// Errors: InvalidInput for bad flags and overlapping subnets, NameInUse.
pub fn create(ctx: &Context, opts: CreateOptions) -> Result<Network> {
    let (_store, nets) = networks(ctx)?;
    super::default_network::ensure(ctx, &nets)?;
    if opts.ignore
        && let Ok(n) = nets.resolve(&opts.name)
        && n.name == opts.name
    {
        return Ok(n);
    }
    let gateway = opts
        .gateway
        .as_deref()
        .map(|g| {
            g.parse::<Ipv4Addr>().map_err(|_| {
                error::invalid(format!("invalid --gateway {g:?}: expected an IPv4 address"))
            })
        })
        .transpose()?;
    let mut labels = BTreeMap::new();
    for l in &opts.labels {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        if k.is_empty() {
            bail!(error::invalid(format!(
                "invalid --label {l:?}: expected KEY=VALUE"
            )));
        }
        labels.insert(k.to_string(), v.to_string());
    }
    let mut options = BTreeMap::new();
    for o in &opts.options {
        let Some((k, v)) = o.split_once('=') else {
            bail!(error::invalid(format!(
                "invalid --opt {o:?}: expected KEY=VALUE"
            )));
        };
        options.insert(k.to_string(), v.to_string());
    }
    let spec = NetworkSpec {
        name: opts.name,
        driver: opts.driver.unwrap_or_default(),
        subnet: opts.subnet.as_deref().map(str::parse).transpose()?,
        gateway,
        ip_range: opts.ip_range.as_deref().map(str::parse).transpose()?,
        internal: opts.internal,
        disable_dns: opts.disable_dns,
        labels,
        options,
    };
    nets.create(spec, &network::host_routes())
}

/// One `--filter` of `network ls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Names containing this.
    Name(String),
    /// Ids starting with this.
    Id(String),
    /// A label, with a value or just present.
    Label(String, Option<String>),
    Driver(String),
}

impl std::str::FromStr for Filter {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Filter> {
        let Some((k, v)) = s.split_once('=') else {
            bail!(error::invalid(format!(
                "invalid filter {s:?}: expected KEY=VALUE (name, id, label, driver)"
            )));
        };
        Ok(match k {
            "name" => Filter::Name(v.to_string()),
            "id" => Filter::Id(v.to_string()),
            "driver" => Filter::Driver(v.to_string()),
            "label" => match v.split_once('=') {
                Some((k, v)) => Filter::Label(k.to_string(), Some(v.to_string())),
                None => Filter::Label(v.to_string(), None),
            },
            other => bail!(error::invalid(format!(
                "invalid filter {other:?}: network ls filters by name, id, label and driver"
            ))),
        })
    }
}

impl Filter {
    fn key(&self) -> &'static str {
        match self {
            Filter::Name(_) => "name",
            Filter::Id(_) => "id",
            Filter::Label(..) => "label",
            Filter::Driver(_) => "driver",
        }
    }

    fn matches(&self, n: &Network) -> bool {
        match self {
            Filter::Name(s) => n.name.contains(s.as_str()),
            Filter::Id(s) => n.id.starts_with(s.as_str()),
            Filter::Label(k, v) => n
                .labels
                .get(k)
                .is_some_and(|have| v.as_ref().is_none_or(|v| v == have)),
            Filter::Driver(d) => &n.driver == d,
        }
    }
}

/// True when `n` passes `filters`: every key must match, any value of one key will do (as in
/// Docker, except label filters, which must all match).
fn passes(filters: &[Filter], n: &Network) -> bool {
    let mut keys: Vec<&str> = filters.iter().map(Filter::key).collect();
    keys.dedup();
    keys.iter().all(|k| {
        let mut of_key = filters.iter().filter(|f| f.key() == *k);
        if *k == "label" {
            of_key.all(|f| f.matches(n))
        } else {
            of_key.any(|f| f.matches(n))
        }
    })
}

/// What `network ls` lists.
#[derive(Debug)]
pub struct LsReport {
    pub networks: Vec<Network>,
    /// Records that could not be read: (path, why).
    pub broken: Vec<(String, String)>,
}

/// Lists the networks passing `filters`, the default network included (created on first use).
pub fn ls(ctx: &Context, filters: &[Filter]) -> Result<LsReport> {
    let (_store, nets) = networks(ctx)?;
    super::default_network::ensure(ctx, &nets)?;
    let (all, broken) = nets.list();
    Ok(LsReport {
        networks: all.into_iter().filter(|n| passes(filters, n)).collect(),
        broken,
    })
}

/// Docker's `network inspect` object for `n`.
fn inspect_value(store: &Store, nets: &Networks, n: &Network) -> Value {
    let mut containers = serde_json::Map::new();
    for (ip, owner) in nets.allocations(n) {
        let name = crate::storage::container::ContainerId::parse(&owner)
            .ok()
            .and_then(|id| store.containers().read_config(&id).ok())
            .map(|c| c.name)
            .unwrap_or_default();
        containers.insert(
            owner,
            json!({
                "Name": name,
                "EndpointID": "",
                "MacAddress": "",
                "IPv4Address": format!("{ip}/{}", n.subnet.prefix()),
                "IPv6Address": "",
            }),
        );
    }
    let mut config = json!({"Subnet": n.subnet.to_string(), "Gateway": n.gateway.to_string()});
    if let Some(r) = n.ip_range {
        config["IPRange"] = json!(r.to_string());
    }
    json!({
        "Name": n.name,
        "Id": n.id,
        "Created": n.created,
        "Scope": "local",
        "Driver": n.driver,
        "EnableIPv6": false,
        "IPAM": {"Driver": "default", "Options": {}, "Config": [config]},
        "Internal": n.internal,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {"Network": ""},
        "ConfigOnly": false,
        "Containers": containers,
        "Options": n.options,
        "Labels": n.labels,
    })
}

/// Inspects networks by name or id: one result per target, in order.
pub fn inspect(ctx: &Context, targets: &[String]) -> Result<Vec<Result<Value>>> {
    let (store, nets) = networks(ctx)?;
    super::default_network::ensure(ctx, &nets)?;
    Ok(targets
        .iter()
        .map(|t| nets.resolve(t).map(|n| inspect_value(&store, &nets, &n)))
        .collect())
}

/// True when a network of that name or id exists.
pub fn exists(ctx: &Context, target: &str) -> Result<bool> {
    let (_store, nets) = networks(ctx)?;
    super::default_network::ensure(ctx, &nets)?;
    match nets.resolve(target) {
        Ok(_) => Ok(true),
        Err(e) if matches!(error::kind_of(&e), Some(ErrorKind::NotFound(_))) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The containers on `n`: those holding an address on it and those whose record names it.
fn users(
    store: &Store,
    nets: &Networks,
    n: &Network,
) -> Vec<crate::storage::container::ContainerId> {
    let dirs = store.containers();
    let mut ids: Vec<_> = nets
        .allocations(n)
        .into_iter()
        .filter_map(|(_, o)| crate::storage::container::ContainerId::parse(&o).ok())
        .filter(|id| dirs.dir(id).exists())
        .collect();
    for id in dirs.list() {
        if let Ok(c) = dirs.read_config(&id)
            && (c.network == n.name || c.network == n.id)
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// Removes networks: one result (the name given) per target. A network with containers is
/// refused (InUse) unless `force`, which removes those containers first (as Podman does). The
/// default network cannot be removed.
pub fn rm(ctx: &Context, targets: &[String], force: bool) -> Result<Vec<Result<String>>> {
    let (store, nets) = networks(ctx)?;
    Ok(targets
        .iter()
        .map(|t| rm_one(ctx, &store, &nets, t, force).map(|()| t.clone()))
        .collect())
}

fn rm_one(ctx: &Context, store: &Store, nets: &Networks, target: &str, force: bool) -> Result<()> {
    let n = nets.resolve(target)?;
    if n.name == network::DEFAULT_NAME {
        bail!(error::invalid(format!(
            "network {:?} is the default network and cannot be removed",
            n.name
        )));
    }
    let users = users(store, nets, &n);
    if !users.is_empty() {
        if !force {
            let names: Vec<String> = users
                .iter()
                .map(|id| {
                    store
                        .containers()
                        .read_config(id)
                        .map(|c| c.name)
                        .unwrap_or_else(|_| id.short().to_string())
                })
                .collect();
            bail!(ErrorKind::InUse(format!(
                "network {:?} has containers ({}): remove them first, or use network rm -f",
                n.name,
                names.join(", ")
            )));
        }
        for id in &users {
            super::container::rm_one(ctx, store, id.as_str(), true)?;
        }
    }
    nets.remove(&n)?;
    delete_bridge(ctx, &n)
}

/// Removes every network without containers except the default one; returns their names.
pub fn prune(ctx: &Context) -> Result<Vec<String>> {
    let (store, nets) = networks(ctx)?;
    let (all, _) = nets.list();
    let mut removed = Vec::new();
    for n in all {
        if n.name == network::DEFAULT_NAME || !users(&store, &nets, &n).is_empty() {
            continue;
        }
        nets.remove(&n)?;
        delete_bridge(ctx, &n)?;
        removed.push(n.name);
    }
    Ok(removed)
}

/// Releases every address container `id` holds (at its removal).
///
/// Its host veth (root) normally goes with its network namespace, which the kernel destroys
/// a moment after the last process; deleting it here makes that certain.
pub(super) fn release(
    store: &Store,
    id: &str,
    config: &crate::storage::container::ContainerConfig,
) -> Result<()> {
    if !matches!(
        crate::net::Mode::parse(&config.network),
        Ok(crate::net::Mode::Bridge)
    ) {
        return Ok(());
    }
    let nets = Networks::new(&store.networks());
    let connected = config.net.connected.iter().filter_map(|c| {
        let n = nets.resolve(&c.network).ok()?;
        Some(crate::net::bridge::connected_veth_name(id, &n.id))
    });
    for veth in std::iter::once(crate::net::bridge::host_veth_name(id)).chain(connected) {
        if let Err(e) = crate::net::bridge::delete(&veth) {
            log::warn!("removing the host veth {veth} of container {id}: {e:#}");
        }
    }
    // Ports of a container whose monitor was killed before it could remove them (root only:
    // rootless containers have no such table, and nft needs root).
    if !config.ports.is_empty() && nix::unistd::geteuid().is_root() && crate::net::nft::installed()
    {
        let table = crate::net::nft::ports_table_name(id);
        if let Err(e) = crate::net::nft::remove_ports(&table) {
            log::warn!("{e:#}");
        }
    }
    let dir = store.networks();
    if !dir.exists() {
        return Ok(());
    }
    Networks::new(&dir).release_all(id)
}

/// What `--network VALUE` means for a new container: its mode, the value its record keeps
/// (a network object's name for a bridge network) and the `--ip` asked for. `-p` and `--ip`
/// are refused where they cannot work (rootless networks: `rootless_net::check_create`).
pub(super) fn mode_for_create(
    ctx: &Context,
    store: &Store,
    value: &str,
    publish: &[String],
    ip: &Option<String>,
) -> Result<(crate::net::Mode, String, Option<Ipv4Addr>)> {
    use crate::net::Mode;
    let mode = Mode::parse(value)?;
    if mode != Mode::Bridge {
        if ip.is_some() {
            bail!(error::invalid(format!(
                "--ip needs a network with addresses: use --network NAME (not {value:?})"
            )));
        }
        // container:ID and ns:PATH keep what they join.
        let kept = match mode {
            Mode::Container | Mode::Ns => value.to_string(),
            _ => mode.as_str().to_string(),
        };
        return Ok((mode, kept, None));
    }
    let nets = Networks::new(&store.networks());
    let network = if matches!(value, "bridge" | network::DEFAULT_NAME) {
        super::default_network::ensure(ctx, &nets)?
    } else {
        nets.resolve(value)?
    };
    for p in publish {
        if let Some(std::net::IpAddr::V6(ip)) = crate::net::ports::parse(p)?.host_ip {
            bail!(error::invalid(format!(
                "cannot publish -p {p:?} on {ip}: bridge networks are IPv4"
            )));
        }
    }
    let ip = ip
        .as_deref()
        .map(|i| {
            i.parse::<Ipv4Addr>().map_err(|_| {
                error::invalid(format!("invalid --ip {i:?}: expected an IPv4 address"))
            })
        })
        .transpose()?;
    Ok((Mode::Bridge, network.name, ip))
}

/// Allocates container `id`'s address on `network_name` when `mode` is a bridge network.
pub(super) fn allocate(
    store: &Store,
    id: &crate::storage::container::ContainerId,
    network_name: &str,
    mode: crate::net::Mode,
    ip: Option<Ipv4Addr>,
) -> Result<()> {
    if mode != crate::net::Mode::Bridge {
        return Ok(());
    }
    let nets = Networks::new(&store.networks());
    let n = nets.resolve(network_name)?;
    nets.allocate(&n, id.as_str(), ip)?;
    Ok(())
}

/// How container `id` joins network `network_name` at this start, and the networks `network
/// connect` added (recorded in its config), after it.
pub(super) fn bridge_plan(
    store: &Store,
    id: &crate::storage::container::ContainerId,
    network_name: &str,
    ports: Vec<crate::net::ports::PortMapping>,
    holder: Option<&crate::runtime::netns::Holder>,
) -> Result<crate::net::bridge::BridgePlan> {
    let nets = Networks::new(&store.networks());
    let n = nets
        .resolve(network_name)
        .map_err(|e| e.context(format!("the network of container {} is gone", id.short())))?;
    let mut plan = endpoint(store, &nets, id, &n, 0, None, ports, holder)?;
    let config = store.containers().read_config(id)?;
    plan.mac = config
        .net
        .mac_address
        .as_deref()
        .map(crate::net::hosts::parse_mac)
        .transpose()?;
    for (i, c) in config.net.connected.iter().enumerate() {
        let other = nets.resolve(&c.network).map_err(|e| {
            e.context(format!(
                "network {:?}, connected to container {}, is gone",
                c.network,
                id.short()
            ))
        })?;
        plan.also.push(endpoint(
            store,
            &nets,
            id,
            &other,
            i + 1,
            c.ip,
            Vec::new(),
            holder,
        )?);
    }
    Ok(plan)
}

/// How container `id` joins network `n` as its interface `eth<index>` (the first one also
/// routes everything else and publishes `ports`); starts the network's DNS server (in the
/// namespaces of `holder`, for a rootless network).
#[allow(clippy::too_many_arguments)]
fn endpoint(
    store: &Store,
    nets: &Networks,
    id: &crate::storage::container::ContainerId,
    n: &Network,
    index: usize,
    ip: Option<Ipv4Addr>,
    ports: Vec<crate::net::ports::PortMapping>,
    holder: Option<&crate::runtime::netns::Holder>,
) -> Result<crate::net::bridge::BridgePlan> {
    // Allocated at create (or connect); a record older than its network (removed and made
    // again) gets a new address.
    let address = nets.allocate(n, id.as_str(), ip)?;
    if has_dns(n) {
        super::dns::ensure(store, n, holder)?;
    }
    Ok(crate::net::bridge::BridgePlan {
        bridge: n.interface.clone(),
        gateway: n.gateway,
        prefix: n.subnet.prefix(),
        address,
        host_veth: match index {
            0 => crate::net::bridge::host_veth_name(id.as_str()),
            _ => crate::net::bridge::connected_veth_name(id.as_str(), &n.id),
        },
        inside: format!("eth{index}"),
        mac: None,
        mtu: n.mtu(),
        default_route: index == 0 && !n.internal,
        ports: (!ports.is_empty()).then(|| crate::net::nft::PortRules {
            table: crate::net::nft::ports_table_name(id.as_str()),
            bridge: n.interface.clone(),
            address,
            ports,
        }),
        rules: crate::net::nft::NetworkRules {
            table: crate::net::nft::table_name(&n.id),
            bridge: n.interface.clone(),
            subnet: n.subnet.to_string(),
            internal: n.internal,
        },
        also: Vec::new(),
    })
}

/// What `network connect` asks for.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub network: String,
    pub container: String,
    /// `--alias`.
    pub aliases: Vec<String>,
    /// `--ip`.
    pub ip: Option<String>,
}

/// Connects a container to one more network: its address is allocated and recorded now; a
/// running container gets its interface at once (`eth1`, …; rootless, through the rootless
/// networks' namespace), a stopped one at its next start. Errors: InvalidInput for a
/// container without a bridge network, one already
/// on the network, a bad `--ip` or `--alias`; NotFound.
pub fn connect(ctx: &Context, opts: ConnectOptions) -> Result<()> {
    let (store, nets) = networks(ctx)?;
    let n = if matches!(opts.network.as_str(), "bridge" | network::DEFAULT_NAME) {
        super::default_network::ensure(ctx, &nets)?
    } else {
        nets.resolve(&opts.network)?
    };
    let dirs = store.containers();
    let id = dirs.resolve(&opts.container)?;
    let ip = opts
        .ip
        .as_deref()
        .map(|i| {
            i.parse::<Ipv4Addr>().map_err(|_| {
                error::invalid(format!("invalid --ip {i:?}: expected an IPv4 address"))
            })
        })
        .transpose()?;
    let aliases = crate::net::hosts::NetConfig {
        aliases: opts.aliases.clone(),
        ..Default::default()
    };
    aliases.check()?;
    if !opts.aliases.is_empty() && n.name == network::DEFAULT_NAME {
        bail!(error::invalid(
            "--alias is supported only on a network of your own (the default network has no name DNS)"
        ));
    }
    let _lock = dirs.lock(&id)?;
    let mut config = dirs.read_config(&id)?;
    if !matches!(
        crate::net::Mode::parse(&config.network),
        Ok(crate::net::Mode::Bridge)
    ) {
        bail!(error::invalid(format!(
            "container {} has --network {}: only containers on bridge networks can be connected to more",
            config.name, config.network
        )));
    }
    let on = |name: &str| {
        nets.resolve(name)
            .map(|other| other.id == n.id)
            .unwrap_or(false)
    };
    if on(&config.network) || config.net.connected.iter().any(|c| on(&c.network)) {
        bail!(error::invalid(format!(
            "container {} is already connected to network {:?}",
            config.name, n.name
        )));
    }
    let address = nets.allocate(&n, id.as_str(), ip)?;
    let index = config.net.connected.len() + 1;
    config.net.connected.push(crate::net::hosts::Connection {
        network: n.name.clone(),
        aliases: opts.aliases,
        ip: Some(address),
    });
    let done = (|| -> Result<()> {
        dirs.rewrite_config(&config)?;
        let state = dirs.read_state(&id);
        if state.is_alive(&crate::storage::container::boot_id()) {
            let holder = match ctx.rootless {
                true => Some(super::rootless_net::ensure(ctx, &store)?),
                false => None,
            };
            let plan = endpoint(
                &store,
                &nets,
                &id,
                &n,
                index,
                Some(address),
                Vec::new(),
                holder.as_ref(),
            )?;
            let ours = || {
                crate::storage::container::process_start_time(state.pid) == Some(state.pid_start)
            };
            match holder {
                Some(h) => super::rootless_net::connect(&h, &plan, state.pid, &ours)?,
                None => crate::net::bridge::connect(&plan, state.pid, &ours)?,
            }
        }
        Ok(())
    })();
    // A running container sees its new nameserver at once (the files are bind-mounted and
    // rewritten in place).
    if done.is_ok()
        && let Err(e) = super::container::write_etc_files(&store, &dirs.dir(&id), &id, &config)
    {
        log::warn!("{e:#}");
    }
    if let Err(e) = done {
        config.net.connected.pop();
        let _ = dirs.rewrite_config(&config);
        let _ = nets.release(&n, id.as_str());
        return Err(e.context(format!(
            "connecting container {} to network {:?}",
            config.name, n.name
        )));
    }
    Ok(())
}

/// Disconnects a container from a network `network connect` added: a running
/// container loses the interface at once, and the address is freed. Errors: InvalidInput for
/// the container's own `--network` (which berth cannot take away) and for a network it is not
/// connected to; NotFound.
pub fn disconnect(ctx: &Context, network_name: &str, container: &str) -> Result<()> {
    let (store, nets) = networks(ctx)?;
    let n = nets.resolve(network_name)?;
    let dirs = store.containers();
    let id = dirs.resolve(container)?;
    let _lock = dirs.lock(&id)?;
    let mut config = dirs.read_config(&id)?;
    let same = |name: &str| nets.resolve(name).map(|o| o.id == n.id).unwrap_or(false);
    if same(&config.network) {
        bail!(error::invalid(format!(
            "container {} was created with --network {}, which cannot be disconnected (networks added with network connect can)",
            config.name, n.name
        )));
    }
    let Some(at) = config.net.connected.iter().position(|c| same(&c.network)) else {
        bail!(error::invalid(format!(
            "container {} is not connected to network {:?}",
            config.name, n.name
        )));
    };
    config.net.connected.remove(at);
    dirs.rewrite_config(&config)?;
    if let Err(e) = super::container::write_etc_files(&store, &dirs.dir(&id), &id, &config) {
        log::warn!("{e:#}");
    }
    // The pair goes as one: deleting the host end takes the container's interface with it.
    let veth = crate::net::bridge::connected_veth_name(id.as_str(), &n.id);
    let unplugged = match ctx.rootless {
        true => super::rootless_net::unplug(ctx, &veth),
        false => crate::net::bridge::delete(&veth),
    };
    let released = nets.release(&n, id.as_str());
    unplugged.and(released).map_err(|e| {
        e.context(format!(
            "disconnecting container {} from network {:?}",
            config.name, n.name
        ))
    })
}

/// Fills container `id`'s address on its network (a network object) into its inspect
/// `NetworkSettings`: `IPAddress`, `Gateway`, `IPPrefixLen` and `Networks.<name>`, as Docker
/// shows them. Other network modes are left as they are.
pub(super) fn add_settings(
    store: &Store,
    id: &crate::storage::container::ContainerId,
    network_name: &str,
    settings: &mut Value,
) {
    if !matches!(
        crate::net::Mode::parse(network_name),
        Ok(crate::net::Mode::Bridge)
    ) {
        return;
    }
    let nets = Networks::new(&store.networks());
    let Ok(n) = nets.resolve(network_name) else {
        return;
    };
    let config = store.containers().read_config(id).unwrap_or_default();
    let endpoint = |n: &Network, aliases: &[String]| {
        let ip = nets
            .allocations(n)
            .into_iter()
            .find(|(_, o)| o == id.as_str())
            .map(|(ip, _)| ip.to_string())
            .unwrap_or_default();
        let prefix = if ip.is_empty() { 0 } else { n.subnet.prefix() };
        json!({
            "NetworkID": n.id,
            "IPAddress": ip,
            "IPPrefixLen": prefix,
            "Gateway": n.gateway.to_string(),
            "MacAddress": "",
            "Aliases": if aliases.is_empty() { Value::Null } else { json!(aliases) },
        })
    };
    let mut first = endpoint(&n, &config.net.aliases);
    if let Some(mac) = &config.net.mac_address {
        first["MacAddress"] = json!(mac);
        settings["MacAddress"] = json!(mac);
    }
    settings["IPAddress"] = first["IPAddress"].clone();
    settings["Gateway"] = first["Gateway"].clone();
    settings["IPPrefixLen"] = first["IPPrefixLen"].clone();
    let mut all = serde_json::Map::new();
    all.insert(n.name.clone(), first);
    for c in &config.net.connected {
        if let Ok(other) = nets.resolve(&c.network) {
            all.insert(other.name.clone(), endpoint(&other, &c.aliases));
        }
    }
    settings["Networks"] = Value::Object(all);
}

/// The ports `-P` adds for a new container on a `mode` network (none without `-P`); every
/// `--expose` is checked in any case. Errors: InvalidInput for a bad port, and for `-P` on
/// `--network none`.
pub(super) fn publish_all(
    opts: &crate::net::hosts::NetConfig,
    mode: crate::net::Mode,
    image_exposed: Option<&BTreeMap<String, Value>>,
    published: &[crate::net::ports::PortMapping],
) -> Result<Vec<crate::net::ports::PortMapping>> {
    if !opts.publish_all {
        for e in &opts.expose {
            crate::net::ports::parse_exposed(e, "--expose")?;
        }
        return Ok(Vec::new());
    }
    let image = image_exposed
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str));
    let all = crate::net::ports::publish_all(image, &opts.expose, published)?;
    match mode {
        crate::net::Mode::None => bail!(error::invalid(
            "-P needs a network that can publish ports: --network pasta (rootless) or a bridge network (root); --network none has only lo"
        )),
        // As -p: the container uses the host's ports directly.
        crate::net::Mode::Host => Ok(Vec::new()),
        // As -p: ports are the business of whoever owns the network namespace.
        crate::net::Mode::Container | crate::net::Mode::Ns => bail!(error::invalid(
            "conflicting options: -P and a joined network namespace (container: or ns:): ports are published by whoever owns that namespace"
        )),
        crate::net::Mode::Pasta | crate::net::Mode::Slirp4netns | crate::net::Mode::Bridge => {
            Ok(all)
        }
    }
}

/// Checks a new container's name options against its network: `--network-alias` needs a
/// network of the user's own (Docker's rule: the default network has no name DNS).
pub(super) fn check_names(
    names: &crate::net::hosts::NetConfig,
    mode: crate::net::Mode,
    network_name: &str,
) -> Result<()> {
    names.check()?;
    if names.mac_address.is_some() && mode != crate::net::Mode::Bridge {
        bail!(error::invalid(format!(
            "--mac-address needs a bridge network (--network bridge or a network of your own, as root), not --network {}",
            mode.as_str()
        )));
    }
    if !names.aliases.is_empty()
        && (mode != crate::net::Mode::Bridge || network_name == network::DEFAULT_NAME)
    {
        bail!(error::invalid(
            "--network-alias is supported only for containers on a network of your own (network create NAME, then --network NAME)"
        ));
    }
    if mode == crate::net::Mode::None
        && let Some(h) = names.add_hosts.iter().find(|h| {
            matches!(
                crate::net::hosts::parse_add_host(h),
                Ok((_, crate::net::hosts::HostTarget::HostGateway))
            )
        })
    {
        bail!(error::invalid(format!(
            "--add-host {h:?}: host-gateway needs a network that reaches the host (bridge, a network of your own, pasta or host), not --network none"
        )));
    }
    Ok(())
}

/// True when network `n` has a DNS server for its containers' names: a network of the user's
/// own created without `--disable-dns` (the default network has none, as in Docker).
pub(crate) fn has_dns(n: &Network) -> bool {
    n.dns_enabled && n.name != network::DEFAULT_NAME
}

/// What container `id`'s network gives its /etc files.
fn net_view(
    store: &Store,
    id: &str,
    config: &crate::storage::container::ContainerConfig,
) -> crate::net::hosts::NetView {
    use crate::net::{Mode, hosts::NetView};
    match Mode::parse(&config.network) {
        Ok(Mode::Host) => NetView {
            host_network: true,
            ..NetView::default()
        },
        // pasta maps its default gateway to the host (it copies the host's routes).
        Ok(Mode::Pasta) => NetView {
            host_address: std::fs::read_to_string("/proc/net/route")
                .ok()
                .and_then(|t| crate::net::hosts::default_gateway(&t))
                .map(std::net::IpAddr::V4),
            ..NetView::default()
        },
        // Loopback nameservers of the host are out of reach (--disable-host-loopback).
        Ok(Mode::Slirp4netns) => NetView {
            host_address: crate::net::slirp::host_address().map(std::net::IpAddr::V4),
            address: crate::net::slirp::GUEST.parse().ok(),
            drop_loopback: true,
            ..NetView::default()
        },
        Ok(Mode::Bridge) => {
            let nets = Networks::new(&store.networks());
            let Ok(n) = nets.resolve(&config.network) else {
                return NetView::default();
            };
            let address = nets
                .allocations(&n)
                .into_iter()
                .find(|(_, o)| o == id)
                .map(|(ip, _)| ip);
            // Name DNS from the first network that has it (one `network connect` added, when
            // the container's own is the default network).
            let dns_server = std::iter::once(n.clone())
                .chain(
                    config
                        .net
                        .connected
                        .iter()
                        .filter_map(|c| nets.resolve(&c.network).ok()),
                )
                .find(has_dns)
                .map(|n| n.gateway);
            NetView {
                host_network: false,
                address,
                // Rootless, the gateway is the rootless networks' namespace, not the host.
                host_address: match nix::unistd::geteuid().is_root() {
                    true => Some(std::net::IpAddr::V4(n.gateway)),
                    false => super::rootless_net::host_address().map(std::net::IpAddr::V4),
                },
                dns_server,
                drop_loopback: true,
            }
        }
        _ => NetView::default(),
    }
}

/// The text of container `id`'s /etc/hosts and /etc/resolv.conf: the network's view of it and
/// the host's own files under the container's options.
pub(super) fn name_files(
    store: &Store,
    id: &crate::storage::container::ContainerId,
    config: &crate::storage::container::ContainerConfig,
) -> Result<(String, String)> {
    let view = net_view(store, id.as_str(), config);
    let host_hosts = match view.host_network {
        true => std::fs::read_to_string("/etc/hosts").unwrap_or_default(),
        false => String::new(),
    };
    let hosts = crate::net::hosts::hosts(
        &config.net,
        &view,
        &config.hostname,
        &config.name,
        &host_hosts,
    )?;
    let host_resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    Ok((
        hosts,
        crate::net::hosts::resolv_conf(&config.net, &view, &host_resolv),
    ))
}

/// Fills in the name options of `config` in inspect's `HostConfig`.
pub(super) fn add_host_config(
    config: &crate::storage::container::ContainerConfig,
    host_config: &mut Value,
) {
    let n = &config.net;
    host_config["Dns"] = json!(n.dns);
    host_config["DnsSearch"] = json!(n.dns_search);
    host_config["DnsOptions"] = json!(n.dns_options);
    host_config["ExtraHosts"] = match n.add_hosts.is_empty() {
        true => Value::Null,
        false => json!(n.add_hosts),
    };
    host_config["PublishAllPorts"] = json!(n.publish_all);
}

/// Deletes network `n`'s bridge and nftables table (rootless, in the rootless networks'
/// namespace, `rootless_net`); tries both.
fn delete_bridge(ctx: &Context, n: &Network) -> Result<()> {
    if ctx.rootless {
        let store = Store::open(ctx)?;
        return super::rootless_net::delete_bridge(ctx, &store, n);
    }
    let dns = Store::open(ctx).and_then(|s| super::dns::stop(&s.networks(), n));
    let bridge = crate::net::bridge::delete(&n.interface);
    // Only a table that can exist: without nft installed no bridge was ever attached.
    let table = match crate::net::nft::installed() {
        true => crate::net::nft::remove(&crate::net::nft::table_name(&n.id)),
        false => Ok(()),
    };
    let errors: Vec<String> = [dns, bridge, table]
        .into_iter()
        .filter_map(|r| r.err().map(|e| format!("{e:#}")))
        .collect();
    if !errors.is_empty() {
        bail!(
            "removing the bridge of network {:?}: {}",
            n.name,
            errors.join("; ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(name: &str, labels: &[(&str, &str)]) -> Network {
        Network {
            id: format!("{name:a<64}").replace(|c: char| !c.is_ascii_hexdigit(), "b"),
            name: name.into(),
            created: String::new(),
            driver: "bridge".into(),
            subnet: "10.9.0.0/24".parse().unwrap(),
            gateway: "10.9.0.1".parse().unwrap(),
            ip_range: None,
            internal: false,
            dns_enabled: true,
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            options: BTreeMap::new(),
            interface: "x".into(),
        }
    }

    #[test]
    fn filters_combine_like_dockers() {
        let f = |s: &[&str]| -> Vec<Filter> { s.iter().map(|x| x.parse().unwrap()).collect() };
        let a = net("app", &[("tier", "front"), ("x", "")]);
        assert!(passes(&f(&["name=ap"]), &a));
        assert!(passes(&f(&["name=zz", "name=pp"]), &a));
        assert!(!passes(&f(&["name=app", "driver=macvlan"]), &a));
        assert!(passes(&f(&["label=tier=front", "label=x"]), &a));
        assert!(!passes(&f(&["label=tier=front", "label=y"]), &a));
        assert!(!passes(&f(&["label=tier=back"]), &a));
        assert!(passes(&f(&[&format!("id={}", &a.id[..5])]), &a));
        assert!("bogus=1".parse::<Filter>().is_err());
        assert!("name".parse::<Filter>().is_err());
    }
}
