//! Docker/OCI seccomp profiles read from a JSON file (`--security-opt seccomp=FILE`).

use anyhow::{Result, bail};
use seccompiler::BpfProgram;

use super::caps::CapPlan;

/// Compiles `profile` (JSON text) for a container with capability plan `caps`.
pub fn compile(_profile: &str, _caps: &CapPlan) -> Result<BpfProgram> {
    bail!("seccomp profiles from files are not supported yet")
}
