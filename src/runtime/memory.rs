//! Giving back what a monitor no longer needs once its container runs.
//!
//! A monitor is a fork of the CLI that set the container up: it has touched most of berth's
//! code and keeps the CLI's heap. While it only waits and copies output, almost none of that
//! is used again, yet it counts in the monitor's memory (PSS) for as long as the container
//! runs, and there is one monitor per container. [`shed`] drops it:
//!
//! - the page-table entries of berth's own read-only, never-written file mappings (code,
//!   constants): `MADV_DONTNEED` on a private file mapping without private copies only unmaps
//!   its pages, which stay in the page cache, so a page used again is mapped again from there
//!   (never read from disk, never changed: there is no private copy to lose);
//! - the free memory of the heap (`malloc_trim`).

use std::fs;

/// Makes every thread of this process allocate from the main heap (glibc's M_ARENA_MAX = 1),
/// so that a thread started later does not get a heap of its own.
pub fn one_arena() {
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread runs.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Drops what [`shed`] can; failures are ignored (this only saves memory).
pub fn shed() {
    unmap_clean_exe_pages();
    // SAFETY: malloc_trim only returns free heap memory to the kernel; it is thread-safe in
    // glibc and touches no memory the program owns.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `MADV_DONTNEED` on every mapping of our executable that is not writable and holds no
/// private (anonymous) page, as /proc/self/smaps tells.
fn unmap_clean_exe_pages() {
    let Ok(exe) = fs::read_link("/proc/self/exe") else {
        return;
    };
    let exe = exe.to_string_lossy().into_owned();
    let Ok(smaps) = fs::read_to_string("/proc/self/smaps") else {
        return;
    };
    for (start, end) in clean_ranges(&smaps, &exe) {
        // SAFETY: [start, end) is a whole mapping of our executable that is read-only and has
        // no private copy of any page (smaps: not writable, Anonymous 0). Dropping its page
        // table entries loses nothing: every page reads back the same from the file, which the
        // mapping keeps open. No Rust reference can be invalidated by that.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

/// The `[start, end)` ranges in `smaps` text of mappings of `exe` that are not writable and
/// have `Anonymous: 0 kB`.
fn clean_ranges(smaps: &str, exe: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, bool)> = None;
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let Some(first) = fields.next() else {
            continue;
        };
        if let Some((a, b)) = first.split_once('-')
            && let (Ok(start), Ok(end)) =
                (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
        {
            let perms = fields.next().unwrap_or("");
            let path = fields.nth(3).unwrap_or("");
            let candidate = path == exe && perms.starts_with('r') && !perms.contains('w');
            current = candidate.then_some((start, end, true));
            continue;
        }
        if first == "Anonymous:"
            && let Some((start, end, _)) = current.take()
            && fields.next() == Some("0")
        {
            out.push((start, end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_read_only_mappings_of_the_exe() {
        let smaps = "\
55d000-55e000 r--p 00000000 08:01 12 /usr/bin/berth
Rss:                   8 kB
Anonymous:             0 kB
55e000-560000 r-xp 00001000 08:01 12 /usr/bin/berth
Anonymous:             0 kB
560000-561000 r--p 00003000 08:01 12 /usr/bin/berth
Anonymous:             4 kB
561000-562000 rw-p 00004000 08:01 12 /usr/bin/berth
Anonymous:             0 kB
7f00000-7f01000 r-xp 00000000 08:01 13 /usr/lib/libc.so.6
Anonymous:             0 kB
7f01000-7f02000 rw-p 00000000 00:00 0
Anonymous:             4 kB
";
        assert_eq!(
            clean_ranges(smaps, "/usr/bin/berth"),
            vec![(0x55d000, 0x55e000), (0x55e000, 0x560000)]
        );
    }

    #[test]
    fn shedding_keeps_the_program_working() {
        shed();
        // Code and constants come back from the page cache.
        let v: Vec<String> = (0..1000).map(|i| format!("{i}")).collect();
        assert_eq!(v[999], "999");
    }
}
