//! Real posts bundled into the binary (origins in src/demo/PROVENANCE.md): `demo` serves them
//! from its loopback server, and `alerts test` sends one when the database has no flagged post.
//! A leaf: it imports nothing, so both can use it without tying the alert and demo layers.

/// 2019 trade-war posts by media accounts, in the m.weibo.cn getIndex format.
pub(crate) const MEDIA2019_GETINDEX: &str = include_str!("demo/media2019_getindex.json");
