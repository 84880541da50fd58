//! Links the berth executable at a fixed address (not position-independent).
//!
//! Every running container has a monitor, a fork of the berth that started it, for as long as
//! it runs. In a position-independent executable the dynamic loader writes the load address
//! into every pointer of the read-only-after-relocation data (vtables, panic locations, static
//! tables: about 170 KiB here), so each process holds its own private, dirty copy of those
//! pages. Linked at a fixed address those pointers are final in the file: the pages stay clean
//! page cache, shared by all monitors and droppable by `runtime::memory::shed`. That is about a
//! third of a monitor's memory (issue 4 asks for conmon's footprint or less). Go's container
//! shims make the same choice (Go links non-PIE by default); libraries, the heap, the stack and
//! mmap are still randomised. Only the binaries get the flag: build scripts, proc-macros and
//! test harnesses link as usual.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Cargo tells a build script the target through its environment; there is no Context here.
    #[allow(clippy::disallowed_methods)]
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
