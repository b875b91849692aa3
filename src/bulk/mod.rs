//! Bulk work over many posts at once, outside the daemon: `import` (archives other tools
//! collected) and `reclassify` (what is stored, with the current classifier). Both classify a
//! batch on every core while one thread writes.

pub mod import;
pub mod reclassify;
