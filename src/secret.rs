//! Secrets (cookies, tokens, webhook URLs with keys): a wrapper that never shows in `Debug`
//! output, logs or errors, the redaction of remote answers that may echo one, and the
//! `Environment` their `*_env` keys are read from. A leaf:
//! every layer that holds a secret imports it from here.

use std::fmt;

/// A secret string (cookie, token) that never shows in `Debug` output, logs or errors.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `text` with every value in `secrets` replaced by `<redacted>`, longest first (so a URL
/// goes whole before its token).
pub fn redact_values(text: &str, secrets: &[String]) -> String {
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for s in sorted {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "<redacted>");
        }
    }
    out
}

/// Where `*_env` keys (secrets, cookies, the review token) are looked up. The daemon and the
/// CLI read the process environment; tests hand a map instead, because changing the process
/// environment (`std::env::set_var`) races with every other thread of a multi-threaded test
/// binary that reads it.
#[derive(Debug, Clone, Default)]
pub enum Environment {
    /// `std::env::var`.
    #[default]
    Process,
    /// Exactly these variables, nothing from the process.
    Vars(std::collections::BTreeMap<String, String>),
}

impl Environment {
    /// A map of variables, for tests and embedders.
    pub fn vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Environment::Vars(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// The variable's value; `None` when unset or not valid Unicode.
    pub fn var(&self, name: &str) -> Option<String> {
        match self {
            Environment::Process => std::env::var(name).ok(),
            Environment::Vars(m) => m.get(name).cloned(),
        }
    }
}
