//! A check every spec with kinds makes (sources, alert channels): a key that only another
//! kind uses is a mistake worth naming, not something to ignore silently. A leaf.

use std::fmt::Display;

/// Reports each key of `given` (name, whether it is set, the kinds that use it) that is set
/// but not used by `kind`, a `what` ("source", "channel").
pub(crate) fn refuse_other_kinds<K: PartialEq + Display>(
    given: &[(&str, bool, &[K])],
    kind: &K,
    what: &str,
    key: &dyn Fn(&str) -> String,
    problem: &mut dyn FnMut(String, String),
) {
    for (name, present, kinds) in given {
        if *present && !kinds.contains(kind) {
            problem(
                key(name),
                format!("is not used by a `{kind}` {what}; remove it"),
            );
        }
    }
}
