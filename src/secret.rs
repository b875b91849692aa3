//! Secrets (cookies, tokens, webhook URLs with keys): a wrapper that never shows in `Debug`
//! output, logs or errors, and the redaction of remote answers that may echo one. A leaf:
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
