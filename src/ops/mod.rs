//! The engine's verbs, one entry point each (`ops::load`, `ops::rmi`, …): work that spans
//! subsystems, taking `&Context` and an options struct and returning a report. Multi-target
//! verbs return one result per target and never stop at the first failure (STYLE.md 5).

mod container;
mod default_network;
pub mod dns;
mod events;
mod exec;
mod image;
mod inspect;
mod lifecycle;
mod load;
pub mod login;
mod logs;
pub mod namespaces;
mod net_reconcile;
pub mod network;
mod ps;
pub mod pull;
pub mod push;
mod reconcile;
mod rename;
mod resources;
pub mod rootless_net;
mod save;
pub mod search;
mod stats;
mod system;
mod top;
mod update;

pub use container::{
    Attach, CreateOptions, Created, Detached, RmOptions, create, rm, run, run_detached, start,
    start_background,
};
pub use events::{EventsOptions, container_event, events};
pub use exec::{ExecOptions, exec};
pub use image::{
    HistoryRow, ImageFilter, ImagesOptions, ImagesReport, PruneReport, RmiOptions, RmiReport,
    exists, history, images, inspect, prune, rmi, tag, untag,
};
pub use inspect::{
    InspectContainerOptions, container_ids, container_ports, inspect_containers, is_container,
    resolve_container,
};
pub use lifecycle::{
    AttachOptions, AttachReport, KillOptions, PauseOptions, StopOptions, WaitCondition,
    WaitOptions, attach, kill, parse_signal, pause, restart, stop, unpause, wait,
};
pub use load::{ImportOptions, LoadReport, import, load};
pub use logs::{LogsOptions, logs};
pub use ps::{PsEntry, PsFilter, PsOptions, PsReport, PsSize, PsState, ps};
pub use pull::{PullOptions, PullReport, RegistryOptions, pull};
pub use reconcile::reap_vanished;
pub use rename::{ContainerPruneOptions, ContainerPruneReport, prune_containers, rename};
pub use save::{SaveOptions, save};
pub use stats::{StatsOptions, StatsSample, stats};
pub use system::{InfoReport, info};
pub use top::{TopOptions, TopReport, top};
pub use update::{UpdateOptions, update};
