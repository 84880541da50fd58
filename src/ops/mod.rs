//! Everything that spans subsystems, one entry point per verb (being written).
