//! Raw syscalls nix does not wrap, each behind a safe function that names its target on error.
//!
//! This is one of the few modules allowed `unsafe` (see lib.rs); every block says why it holds.
//! Functions here take `BorrowedFd`s and slices, return `nix::Result`, and do nothing beyond the
//! one syscall: policy (which errors are tolerable, what to log) belongs to the caller.

use std::ffi::CStr;
use std::os::fd::{AsRawFd, BorrowedFd};

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

/// `AT_RECURSIVE` for [`mount_setattr`]: apply to the whole mount tree below the target
/// (linux/fcntl.h; libc does not export it for Linux).
pub const AT_RECURSIVE: libc::c_uint = 0x8000;

/// Mount attribute bits for [`mount_setattr`] (linux/mount.h).
pub const MOUNT_ATTR_RDONLY: u64 = 0x0000_0001;

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
            }
            // The temp filesystem may not support user xattrs; that is not this code's fault.
            Err(Errno::ENOTSUP | Errno::EPERM) => {}
            Err(e) => panic!("fsetxattr: {e}"),
        }
    }
}
