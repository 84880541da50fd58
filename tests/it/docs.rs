//! The checked-in man pages (`man/*.1`) and shell completions (`completions/`) must match what
//! the clap definitions generate (STYLE.md 24). `BERTH_BLESS=1 cargo test --test it docs`
//! rewrites them instead of failing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    rd.filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn generated() -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let man = tmp.path().join("man");
    let comp = tmp.path().join("completions");
    std::fs::create_dir_all(&man).unwrap();
    std::fs::create_dir_all(&comp).unwrap();
    clap_mangen::generate_to(berth::cmd::Cli::command(), &man).unwrap();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut berth::cmd::Cli::command(), "berth", &comp).unwrap();
    }
    (read_dir(&man), read_dir(&comp))
}

fn check(dir: PathBuf, want: BTreeMap<String, Vec<u8>>, bless: bool) -> Vec<String> {
    let have = read_dir(&dir);
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, bytes) in &want {
            if have.get(name) != Some(bytes) {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
        return Vec::new();
    }
    let mut stale = Vec::new();
    for (name, bytes) in &want {
        match have.get(name) {
            None => stale.push(format!("{}/{name} is missing", dir.display())),
            Some(b) if b != bytes => stale.push(format!("{}/{name} is out of date", dir.display())),
            _ => {}
        }
    }
    for name in have.keys().filter(|n| !want.contains_key(*n)) {
        stale.push(format!(
            "{}/{name} is not generated any more",
            dir.display()
        ));
    }
    stale
}

#[test]
fn man_pages_and_completions_are_current() {
    let bless = std::env::var_os("BERTH_BLESS").is_some_and(|v| v == "1");
    let (man, completions) = generated();
    assert!(
        man.contains_key("berth.1") && man.contains_key("berth-images.1"),
        "pages: {:?}",
        man.keys()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = check(root.join("man"), man, bless);
    stale.extend(check(root.join("completions"), completions, bless));
    assert!(
        stale.is_empty(),
        "generated docs are stale; run `BERTH_BLESS=1 cargo test --test it docs` and commit:\n{}",
        stale.join("\n")
    );
}
