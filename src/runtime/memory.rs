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

/// `MADV_DONTNEED` on the pages of our executable's read-only mappings that are the file's
/// own (not private copies), as /proc/self/smaps and /proc/self/pagemap tell.
fn unmap_clean_exe_pages() {
    let Ok(exe) = fs::read_link("/proc/self/exe") else {
        return;
    };
    let exe = exe.to_string_lossy().into_owned();
    let Ok(smaps) = fs::read_to_string("/proc/self/smaps") else {
        return;
    };
    let pagemap = fs::File::open("/proc/self/pagemap").ok();
    for m in read_only_exe_mappings(&smaps, &exe) {
        let ranges = if m.anonymous {
            // The dynamic loader wrote some pages (relocations: the GOT, or all of the
            // read-only-after-relocation data of a position-independent executable): keep
            // those, drop the rest.
            match &pagemap {
                Some(f) => file_page_runs(f, m.start, m.end),
                None => continue,
            }
        } else {
            vec![(m.start, m.end)]
        };
        for (start, end) in ranges {
            // SAFETY: [start, end) lies in a read-only mapping of our executable and holds no
            // private copy of a page (smaps: Anonymous 0 kB, or pagemap: every page absent or
            // a file page); nothing can write there to make one. Dropping the page table
            // entries loses nothing: every page reads back the same from the file, which the
            // mapping keeps open. No Rust reference can be invalidated by that.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
}

const PAGE: usize = 4096;

/// The runs of pages in `[start, end)` that pagemap shows as absent (and not swapped) or
/// mapped from a file, never a private anonymous page.
fn file_page_runs(pagemap: &fs::File, start: usize, end: usize) -> Vec<(usize, usize)> {
    use std::os::unix::fs::FileExt;
    let pages = (end - start) / PAGE;
    let mut raw = vec![0u8; pages * 8];
    if pagemap
        .read_exact_at(&mut raw, (start / PAGE * 8) as u64)
        .is_err()
    {
        return Vec::new();
    }
    let entries = raw
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
    runs(start, entries)
}

/// Groups consecutive droppable pagemap `entries` (the first at address `start`) into runs.
fn runs(start: usize, entries: impl Iterator<Item = u64>) -> Vec<(usize, usize)> {
    const PRESENT: u64 = 1 << 63;
    const SWAPPED: u64 = 1 << 62;
    const FILE: u64 = 1 << 61;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, e) in entries.enumerate() {
        let droppable = if e & PRESENT != 0 {
            e & FILE != 0
        } else {
            e & SWAPPED == 0
        };
        if !droppable {
            continue;
        }
        let page = start + i * PAGE;
        match out.last_mut() {
            Some((_, end)) if *end == page => *end = page + PAGE,
            _ => out.push((page, page + PAGE)),
        }
    }
    out
}

/// A read-only mapping of our executable, and whether it holds private (anonymous) pages.
#[derive(Debug, PartialEq, Eq)]
struct Mapping {
    start: usize,
    end: usize,
    anonymous: bool,
}

/// The mappings of `exe` in `smaps` text that are not writable.
fn read_only_exe_mappings(smaps: &str, exe: &str) -> Vec<Mapping> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
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
            current = candidate.then_some((start, end));
            continue;
        }
        if first == "Anonymous:"
            && let Some((start, end)) = current.take()
        {
            out.push(Mapping {
                start,
                end,
                anonymous: fields.next() != Some("0"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_mappings_of_the_exe_and_whether_they_hold_private_pages() {
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
        let m = |start, end, anonymous| Mapping {
            start,
            end,
            anonymous,
        };
        assert_eq!(
            read_only_exe_mappings(smaps, "/usr/bin/berth"),
            vec![
                m(0x55d000, 0x55e000, false),
                m(0x55e000, 0x560000, false),
                m(0x560000, 0x561000, true)
            ]
        );
    }

    #[test]
    fn only_absent_and_file_pages_are_dropped() {
        let present = 1u64 << 63;
        let swapped = 1u64 << 62;
        let file = 1u64 << 61;
        let entries = [
            present | file, // dropped
            0,              // absent: dropped
            present,        // a private copy: kept
            swapped,        // a swapped-out private copy: kept
            present | file, // dropped
            present | file, // dropped
        ];
        assert_eq!(
            runs(0x1000, entries.into_iter()),
            vec![(0x1000, 0x3000), (0x5000, 0x7000)]
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
