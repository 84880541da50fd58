//! TEMPORARY interface stub; replaced by the real applier from wip-apply.
use std::path::Path;
pub enum WhiteoutMode {
    Overlay { xattr_prefix: &'static str },
    Delete,
}
pub struct ApplyOptions {
    pub whiteouts: WhiteoutMode,
    pub skip_devices: bool,
    pub ignore_chown_errors: bool,
    pub max_entries: u64,
    pub max_size: u64,
    pub max_depth: usize,
}
impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            whiteouts: WhiteoutMode::Delete,
            skip_devices: false,
            ignore_chown_errors: false,
            max_entries: 1 << 22,
            max_size: 1 << 40,
            max_depth: 256,
        }
    }
}
#[derive(Debug, Default)]
pub struct ApplyStats {
    pub entries: u64,
    pub size: u64,
    pub skipped_devices: u64,
    pub chown_errors: u64,
    pub skipped_xattrs: u64,
}
pub fn apply_layer(
    mut tar: impl std::io::Read,
    dest: &Path,
    _opts: &ApplyOptions,
) -> anyhow::Result<ApplyStats> {
    let mut a = tar::Archive::new(&mut tar);
    let mut st = ApplyStats::default();
    for e in a.entries()? {
        let mut e = e?;
        st.entries += 1;
        st.size += e.size();
        e.unpack_in(dest)?;
    }
    Ok(st)
}
