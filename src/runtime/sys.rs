//! Raw syscalls nix does not wrap, each behind a safe function that names its target on error.
//!
//! This is one of the few modules allowed `unsafe` (see lib.rs); every block says why it holds.
//! Functions here take `BorrowedFd`s and slices, return `nix::Result`, and do nothing beyond the
//! one syscall: policy (which errors are tolerable, what to log) belongs to the caller.

use std::ffi::CStr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;

/// The largest extended attribute value Linux accepts (`XATTR_SIZE_MAX`, xattr(7)).
pub const XATTR_SIZE_MAX: usize = 65536;

/// Sets the extended attribute `name` to `value` on the file behind `fd`, creating or replacing
/// it (fsetxattr(2) with flags 0). `fd` must be a real open file, not an `O_PATH` descriptor.
pub fn fsetxattr(fd: BorrowedFd<'_>, name: &CStr, value: &[u8]) -> nix::Result<()> {
    // SAFETY: `fd` is borrowed, so it stays open for the whole call; `name` is a NUL-terminated
    // string borrowed for the call; the value pointer and length come from the same live slice,
    // which the kernel only reads.
    let res = unsafe {
        libc::fsetxattr(
            fd.as_raw_fd(),
            name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    Errno::result(res).map(drop)
}

/// Reads the extended attribute `name` of the file behind `fd` (fgetxattr(2)), at most
/// [`XATTR_SIZE_MAX`] bytes, which is all the kernel can store.
pub fn fgetxattr(fd: BorrowedFd<'_>, name: &CStr) -> nix::Result<Vec<u8>> {
    let mut buf = vec![0u8; XATTR_SIZE_MAX];
    // SAFETY: `fd` is borrowed and open for the call; `name` is NUL-terminated; the kernel writes
    // at most `buf.len()` bytes into `buf`, which is a live, exclusively borrowed allocation.
    let res = unsafe {
        libc::fgetxattr(
            fd.as_raw_fd(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    let len = Errno::result(res)?;
    // fgetxattr never returns more than the buffer size; clamp anyway rather than trust it.
    buf.truncate(usize::try_from(len).unwrap_or(0).min(XATTR_SIZE_MAX));
    Ok(buf)
}

/// The names of the extended attributes of the file behind `fd` (flistxattr(2)), as the kernel
/// lists them: each name followed by a NUL byte. Asks for the size first, so a file without
/// attributes costs one call and no allocation; retries when attributes are added in between.
pub fn flistxattr(fd: BorrowedFd<'_>) -> nix::Result<Vec<u8>> {
    loop {
        // SAFETY: `fd` is borrowed and open for the call; a NULL buffer with size 0 asks only
        // for the length, and the kernel writes nothing.
        let need = unsafe { libc::flistxattr(fd.as_raw_fd(), std::ptr::null_mut(), 0) };
        let need = usize::try_from(Errno::result(need)?).unwrap_or(0);
        if need == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0u8; need];
        // SAFETY: as above; the kernel writes at most `buf.len()` bytes into `buf`, a live,
        // exclusively borrowed allocation.
        let got = unsafe { libc::flistxattr(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        match Errno::result(got) {
            Ok(n) => {
                buf.truncate(usize::try_from(n).unwrap_or(0).min(need));
                return Ok(buf);
            }
            // An attribute was added since the size was asked for.
            Err(Errno::ERANGE) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `AT_RECURSIVE` for [`mount_setattr`]: apply to the whole mount tree below the target
/// (linux/fcntl.h; libc does not export it for Linux).
pub const AT_RECURSIVE: libc::c_uint = 0x8000;

/// Mount attribute bits for [`mount_setattr`] (linux/mount.h).
pub const MOUNT_ATTR_RDONLY: u64 = 0x0000_0001;
/// `MOUNT_ATTR_NODEV` (linux/mount.h): device nodes on the mount cannot be opened.
pub const MOUNT_ATTR_NODEV: u64 = 0x0000_0004;

/// `struct mount_attr` (linux/mount.h), the `MOUNT_ATTR_SIZE_VER0` layout.
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

/// Sets `set` and clears `clr` on the mount that `fd` is the root of (mount_setattr(2) with
/// `AT_EMPTY_PATH`, Linux 5.12), and on every mount below it when `recursive`. Unlike a
/// `MS_REMOUNT`, flags not named are left alone, so locked flags of a rootless mount survive.
pub fn mount_setattr(fd: BorrowedFd<'_>, recursive: bool, set: u64, clr: u64) -> nix::Result<()> {
    let attr = MountAttr {
        attr_set: set,
        attr_clr: clr,
        propagation: 0,
        userns_fd: 0,
    };
    let mut flags = libc::AT_EMPTY_PATH as libc::c_uint;
    if recursive {
        flags |= AT_RECURSIVE;
    }
    // SAFETY: `fd` is borrowed and open for the call; the path is a static empty C string (with
    // AT_EMPTY_PATH the kernel acts on `fd` itself); `attr` is a live, properly laid out
    // `struct mount_attr` that the kernel only reads, and the size passed is its exact size.
    let res = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            fd.as_raw_fd(),
            c"".as_ptr(),
            flags,
            &raw const attr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    Errno::result(res).map(drop)
}

/// `MOUNT_ATTR_IDMAP` (linux/mount.h): the mount shows the ids of its files through a user
/// namespace's mapping.
pub const MOUNT_ATTR_IDMAP: u64 = 0x0010_0000;

/// Makes the detached mount `fd` (from [`open_tree_clone`]) an idmapped mount through the user
/// namespace `userns` (mount_setattr(2), Linux 5.12; the filesystem must allow it, tmpfs from
/// Linux 6.3).
pub fn mount_setattr_idmap(fd: BorrowedFd<'_>, userns: BorrowedFd<'_>) -> nix::Result<()> {
    let attr = MountAttr {
        attr_set: MOUNT_ATTR_IDMAP,
        attr_clr: 0,
        propagation: 0,
        userns_fd: u64::try_from(userns.as_raw_fd()).map_err(|_| Errno::EBADF)?,
    };
    // SAFETY: as in `mount_setattr`: both fds are borrowed and open for the call, the path is
    // a static empty C string, `attr` is a live `struct mount_attr` the kernel only reads.
    let res = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            fd.as_raw_fd(),
            c"".as_ptr(),
            libc::AT_EMPTY_PATH as libc::c_uint,
            &raw const attr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    Errno::result(res).map(drop)
}

/// A detached copy of the mount of `fd`'s file or directory (open_tree(2) with
/// `OPEN_TREE_CLONE`, not recursive), close-on-exec.
pub fn open_tree_clone(fd: BorrowedFd<'_>) -> nix::Result<OwnedFd> {
    const OPEN_TREE_CLONE: libc::c_uint = 1;
    let flags =
        OPEN_TREE_CLONE | libc::O_CLOEXEC as libc::c_uint | libc::AT_EMPTY_PATH as libc::c_uint;
    // SAFETY: `fd` is borrowed and open; the path is a static empty C string (AT_EMPTY_PATH).
    let res = unsafe { libc::syscall(libc::SYS_open_tree, fd.as_raw_fd(), c"".as_ptr(), flags) };
    let raw = Errno::result(res)?;
    let raw = RawFd::try_from(raw).map_err(|_| Errno::EBADF)?;
    // SAFETY: open_tree just returned this new fd; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

/// Attaches the detached mount `from` on top of `to` (move_mount(2) with both paths empty).
pub fn move_mount_onto(from: BorrowedFd<'_>, to: BorrowedFd<'_>) -> nix::Result<()> {
    const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 0x4;
    const MOVE_MOUNT_T_EMPTY_PATH: libc::c_uint = 0x40;
    // SAFETY: both fds are borrowed and open for the call; both paths are static empty C
    // strings, which the two EMPTY_PATH flags tell the kernel to ignore.
    let res = unsafe {
        libc::syscall(
            libc::SYS_move_mount,
            from.as_raw_fd(),
            c"".as_ptr(),
            to.as_raw_fd(),
            c"".as_ptr(),
            MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH,
        )
    };
    Errno::result(res).map(drop)
}

/// Brings the loopback interface of the current network namespace up (SIOCGIFFLAGS, then
/// SIOCSIFFLAGS with IFF_UP), as `--network none` promises: a new netns with lo up.
pub fn loopback_up() -> nix::Result<()> {
    use nix::sys::socket::{AddressFamily, SockFlag, SockType, socket};
    let sock = socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    // SAFETY: ifreq is plain old data; all-zero is a valid value for it.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in req.ifr_name.iter_mut().zip(b"lo\0") {
        *dst = *src as libc::c_char;
    }
    // SAFETY: `sock` is an open socket for the duration of both calls and `req` is a live,
    // correctly laid out ifreq naming "lo"; SIOCGIFFLAGS fills `ifru_flags`, which SIOCSIFFLAGS
    // then reads. The union field read is the one the kernel just wrote.
    unsafe {
        Errno::result(libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFFLAGS, &mut req))?;
        req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        Errno::result(libc::ioctl(sock.as_raw_fd(), libc::SIOCSIFFLAGS, &req))?;
    }
    Ok(())
}

/// Marks every fd from `first` up close-on-exec (close_range(2) with CLOSE_RANGE_CLOEXEC), so no
/// fd berth opened reaches the container's command (SECURITY.md I3).
pub fn cloexec_from(first: u32) -> nix::Result<()> {
    const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
    // SAFETY: close_range only changes fd flags in this process; no memory is passed.
    let res = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, CLOSE_RANGE_CLOEXEC) };
    Errno::result(res).map(drop)
}

/// Closes every fd from `first` up (close_range(2) with no flags, Linux 5.9).
///
/// # Safety
///
/// Closing an fd that something else owns breaks I/O safety: after this returns, the caller
/// must not use, and must never drop, any `OwnedFd`, `File` or other owner of an fd `>= first`
/// (the container's init calls it once and then only `_exit`s, never returning to those owners).
pub unsafe fn close_from(first: u32) -> nix::Result<()> {
    // SAFETY: close_range passes no memory; the caller upholds the ownership rule above.
    let res = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, 0u32) };
    Errno::result(res).map(drop)
}

/// Waits for any child to end (waitpid(-1, …)); with `nohang`, returns `None` at once when none
/// has. Gives the pid and the raw wait status for `libc::WIF*` to decode: nix's `WaitStatus`
/// cannot represent a death by a real-time signal (its waitpid reaps the child and then fails
/// with EINVAL), and an init must not lose its command's status that way.
pub fn waitpid_any(nohang: bool) -> nix::Result<Option<(i32, i32)>> {
    let mut status: libc::c_int = 0;
    let flags = if nohang { libc::WNOHANG } else { 0 };
    // SAFETY: `status` is a live c_int that the kernel writes the status into; nothing else is
    // passed.
    let pid = Errno::result(unsafe { libc::waitpid(-1, &raw mut status, flags) })?;
    Ok((pid != 0).then_some((pid, status)))
}

/// Waits until one of the signals in `set`, which the caller has blocked, is pending, takes it
/// and returns its number (sigwaitinfo(2)). EINTR when a signal outside `set` interrupted it.
/// Unlike nix's `SigSet::wait`, a failure is an error here, not a panic.
pub fn sigwaitinfo(set: &nix::sys::signal::SigSet) -> nix::Result<i32> {
    // SAFETY: `set` is a valid sigset_t borrowed for the call, which the kernel only reads; no
    // siginfo is asked for (NULL).
    let res = unsafe { libc::sigwaitinfo(set.as_ref(), std::ptr::null_mut()) };
    Errno::result(res)
}

/// Makes fd `target` a copy of `fd` that stays open across execve: dup2(2), or, when `fd` is
/// `target` already (dup2 would do nothing), clears its close-on-exec flag. For a forked
/// helper that hands a descriptor to the program it runs at a fixed number.
pub fn dup_to(fd: BorrowedFd<'_>, target: RawFd) -> nix::Result<()> {
    if fd.as_raw_fd() == target {
        return nix::fcntl::fcntl(
            fd,
            nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
        )
        .map(drop);
    }
    // SAFETY: dup2 only changes this process's fd table: `fd` is open for the call, and what
    // was at `target` is closed, which is what the caller asks for. No memory is passed.
    let res = unsafe { libc::dup2(fd.as_raw_fd(), target) };
    Errno::result(res).map(drop)
}

/// The kernel's `struct sigaction` for rt_sigaction(2) on x86_64 and aarch64 (not glibc's).
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// Resets every signal disposition to the default and unblocks all signals (SECURITY.md I17).
/// Uses rt_sigaction(2) directly: glibc's signal() refuses 32 and 33, which it reserves for
/// itself, so an ignored 32/33 inherited from berth's caller would otherwise reach the container.
pub fn reset_signals() -> nix::Result<()> {
    let dfl = KernelSigaction {
        handler: libc::SIG_DFL,
        flags: 0,
        restorer: 0,
        mask: 0,
    };
    for sig in 1..=64 {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        // SAFETY: `dfl` is a live, correctly laid out kernel sigaction that the kernel only
        // reads; SIG_DFL installs no handler code, so no restorer is needed; the old action is
        // not asked for (NULL); the size is the kernel's sigset size (8 bytes).
        let res =
            unsafe { libc::syscall(libc::SYS_rt_sigaction, sig, &raw const dfl, 0usize, 8usize) };
        Errno::result(res)?;
    }
    nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&nix::sys::signal::SigSet::empty()),
        None,
    )
}

/// A pidfd for process `pid` (pidfd_open(2), Linux 5.3): pollable for its exit, and a stable
/// handle to signal it by, which a recycled pid cannot redirect (SECURITY.md I11).
pub fn pidfd_open(pid: i32) -> nix::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1; no memory is passed.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let fd = Errno::result(fd)?;
    let raw = i32::try_from(fd).map_err(|_| Errno::EBADF)?;
    // SAFETY: the kernel just returned `raw` as a new open fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

/// Sends `sig` to the process behind `pidfd` (pidfd_send_signal(2), Linux 5.1).
pub fn pidfd_send_signal(pidfd: BorrowedFd<'_>, sig: i32) -> nix::Result<()> {
    // SAFETY: `pidfd` is open for the call; no siginfo is passed (NULL), flags are 0.
    let res = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            sig,
            0usize,
            0,
        )
    };
    Errno::result(res).map(drop)
}

/// move_mount(2) (Linux 5.2) of the mount `fd` is the root of (a detached one from
/// [`open_tree_clone`]) onto `path`, resolved from the caller's root and cwd.
pub fn move_mount_to(fd: BorrowedFd<'_>, path: &CStr) -> nix::Result<()> {
    const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 0x4;
    // SAFETY: `fd` is borrowed and open for the call; both paths are NUL-terminated and
    // outlive it; with MOVE_MOUNT_F_EMPTY_PATH the kernel moves `fd`'s mount itself.
    let r = unsafe {
        libc::syscall(
            libc::SYS_move_mount,
            fd.as_raw_fd(),
            c"".as_ptr(),
            libc::AT_FDCWD,
            path.as_ptr(),
            MOVE_MOUNT_F_EMPTY_PATH,
        )
    };
    Errno::result(r).map(drop)
}

/// NS_GET_NSTYPE (`ioctl_ns(2)`, Linux 4.11): the `CLONE_NEW*` flag of the namespace behind an
/// nsfs fd; ENOTTY for any other fd.
pub fn ns_get_type(fd: BorrowedFd<'_>) -> nix::Result<i32> {
    const NS_GET_NSTYPE: libc::c_ulong = 0xb7 << 8 | 3;
    // SAFETY: NS_GET_NSTYPE takes no argument and only reads the fd's namespace.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE as _) };
    Errno::result(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn xattr_roundtrip_or_unsupported() {
        let file = tempfile::tempfile().unwrap();
        match fsetxattr(file.as_fd(), c"user.berth.test", b"value\0with nul") {
            Ok(()) => {
                let got = fgetxattr(file.as_fd(), c"user.berth.test").unwrap();
                assert_eq!(got, b"value\0with nul");
                assert_eq!(
                    fgetxattr(file.as_fd(), c"user.berth.missing").unwrap_err(),
                    Errno::ENODATA
                );
                let names = flistxattr(file.as_fd()).unwrap();
                assert!(
                    names.split(|b| *b == 0).any(|n| n == b"user.berth.test"),
                    "{names:?}"
                );
            }
            // The temp filesystem may not support user xattrs; that is not this code's fault.
            Err(Errno::ENOTSUP | Errno::EPERM) => {}
            Err(e) => panic!("fsetxattr: {e}"),
        }
    }
}

/// True when the calling process has one thread (field 20 of /proc/self/stat), so that a
/// fork may go on running ordinary Rust code. False when it cannot tell.
pub fn single_threaded() -> bool {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return false;
    };
    // Fields resume after the command name's last ')': field 3 is the state, 20 the threads.
    stat.rfind(')')
        .and_then(|i| stat[i + 1..].split_whitespace().nth(17))
        .is_some_and(|n| n == "1")
}

/// Runs `work` in a forked child that leaves the caller's session, has /dev/null for its
/// standard streams (a pipe the caller's caller waits on must not stay open) and exits when
/// `work` returns; the caller goes on at once and never waits for it (it is reaped when the
/// caller exits, or by whoever inherits it). The caller must be single-threaded
/// ([`single_threaded`]): the child runs ordinary Rust code.
pub fn detached(work: impl FnOnce()) -> nix::Result<()> {
    // SAFETY: the caller is single-threaded (documented contract), so no lock the child
    // needs can be held by another thread.
    match unsafe { nix::unistd::fork() }? {
        nix::unistd::ForkResult::Child => {
            let _ = nix::unistd::setsid();
            if let Ok(null) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/null")
            {
                for fd in 0..3 {
                    // SAFETY: dup2 onto this process's own standard descriptors.
                    unsafe { libc::dup2(null.as_raw_fd(), fd) };
                }
            }
            work();
            // SAFETY: _exit skips the parent's atexit handlers and buffered output.
            unsafe { libc::_exit(0) }
        }
        nix::unistd::ForkResult::Parent { .. } => Ok(()),
    }
}

#[cfg(test)]
mod single_thread_tests {
    #[test]
    fn a_second_thread_is_seen() {
        // The test harness runs tests on threads of its own: more than one thread here.
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || rx.recv());
        assert!(!super::single_threaded());
        drop(tx);
        let _ = t.join();
    }
}
