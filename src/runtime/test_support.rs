//! Helpers for unit tests that need privileges or change process-wide state (STYLE.md 28, 31):
//! skipping says "skipped: needs X" locally and fails under `BERTH_TEST_REQUIRE=1`, so CI can
//! never turn green by skipping; `in_child` runs a body in a forked child. Test builds only.

/// Skips the calling test with `why`, or fails it when `BERTH_TEST_REQUIRE=1`.
#[allow(clippy::disallowed_methods, clippy::print_stderr)]
pub(crate) fn skip(why: &str) {
    if std::env::var_os("BERTH_TEST_REQUIRE").is_some_and(|v| v == "1") {
        panic!("{why} (BERTH_TEST_REQUIRE=1)");
    }
    eprintln!("{why}");
}

/// True when running as root; otherwise skips (see [`skip`]) and returns false.
pub(crate) fn require_root(test: &str) -> bool {
    let root = nix::unistd::geteuid().is_root();
    if !root {
        skip(&format!("skipped: {test} needs root"));
    }
    root
}

/// Runs `body` in a forked child and returns its exit code (STYLE.md 28).
pub(crate) fn in_child(body: impl FnOnce() -> i32) -> i32 {
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::{ForkResult, fork};
    // SAFETY: the test binary is multi-threaded. The child only runs `body` (capability
    // syscalls, one read of /proc/self/status) and `_exit`s without unwinding or running
    // atexit handlers; glibc's fork resets the malloc locks in the child, and no other lock
    // is taken, so the allocations in `body` cannot deadlock.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(99);
            // SAFETY: `_exit` ends the child at once; nothing in it needs cleanup.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => match waitpid(child, None).expect("waitpid") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("child did not exit normally: {other:?}"),
        },
    }
}
