//! The one default bridge of the host: every store's default network (`berth`, `bridge`) uses
//! the `berth0` interface and, unless `containers.conf` says otherwise, 10.88.0.0/16. Two
//! stores' containers on it at once would be handed the same addresses (each store has its own
//! address book), so the root tests that use it take [`DefaultBridge`], an inter-process lock
//! (an flock: parallel test threads and test binaries alike) held for the whole test.
//!
//! When the lock is let go, what the test's store made on the host goes with it: the nftables
//! table of its default network (each store's default network has its own id, so its own
//! table), and `berth0` itself when it was not there before the test took the lock.

use std::fs::File;
use std::process::{Command, Stdio};

use nix::fcntl::{Flock, FlockArg};

use super::TestEnv;

/// The lock file: root's own, in the system temp dir.
const LOCK: &str = "berth-it-default-bridge.lock";
/// The default network's bridge interface (src/net/network.rs DEFAULT_INTERFACE).
pub const INTERFACE: &str = "berth0";

/// The default bridge, held by one test (root only: rootless containers have no bridge).
pub struct DefaultBridge<'a> {
    env: &'a TestEnv,
    _lock: Flock<File>,
    existed: bool,
}

/// True when interface `name` exists on the host.
pub fn interface_exists(name: &str) -> bool {
    std::path::Path::new("/sys/class/net").join(name).exists()
}

impl TestEnv {
    /// [`TestEnv::default_bridge`] as root; nothing rootless (no bridge there).
    pub fn default_bridge_if_root(&self) -> Option<DefaultBridge<'_>> {
        (!self.rootless()).then(|| self.default_bridge())
    }

    /// Waits for the default bridge to be free and holds it until the value is dropped.
    pub fn default_bridge(&self) -> DefaultBridge<'_> {
        assert!(
            !self.rootless(),
            "the default bridge is for root tests only"
        );
        let path = std::env::temp_dir().join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .expect("opening the default bridge lock");
        let lock = Flock::lock(file, FlockArg::LockExclusive)
            .map_err(|(_, e)| e)
            .expect("locking the default bridge");
        DefaultBridge {
            env: self,
            _lock: lock,
            existed: interface_exists(INTERFACE),
        }
    }
}

impl Drop for DefaultBridge<'_> {
    fn drop(&mut self) {
        let id = self
            .env
            .berth(["network", "inspect", "--format", "{{.Id}}", "berth"])
            .run();
        if let Some(id) = id.stdout.trim().get(..12) {
            let _ = Command::new("nft")
                .args(["delete", "table", "inet", &format!("berth-{id}")])
                .stderr(Stdio::null())
                .status();
        }
        if !self.existed && interface_exists(INTERFACE) {
            let _ = Command::new("ip")
                .args(["link", "delete", INTERFACE])
                .stderr(Stdio::null())
                .status();
        }
    }
}
