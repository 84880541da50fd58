//! The engine's verbs, one entry point each (`ops::load`, `ops::rmi`, …): work that spans
//! subsystems, taking `&Context` and an options struct and returning a report. Multi-target
//! verbs return one result per target and never stop at the first failure (STYLE.md 5).

mod container;
mod image;
mod lifecycle;
mod load;
mod logs;
mod ps;
mod save;
mod system;

pub use container::{
    Attach, CreateOptions, Created, Detached, RmOptions, create, rm, run, run_detached, start,
    start_background,
};
pub use image::{
    HistoryRow, ImageFilter, ImagesOptions, ImagesReport, PruneReport, RmiOptions, RmiReport,
    exists, history, images, inspect, prune, rmi, tag, untag,
};
pub use lifecycle::{
    AttachOptions, AttachReport, KillOptions, PauseOptions, StopOptions, WaitCondition,
    WaitOptions, attach, kill, parse_signal, pause, restart, stop, unpause, wait,
};
pub use load::{ImportOptions, LoadReport, import, load};
pub use logs::{LogsOptions, logs};
pub use ps::{PsEntry, PsFilter, PsOptions, PsReport, PsSize, PsState, ps};
pub use save::{SaveOptions, save};
pub use system::{InfoReport, info};
