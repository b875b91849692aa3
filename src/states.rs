//! The states that cross layers, as enums: a source's state, why a run failed, an alert's
//! status, kind and event. Code matches on them; each has one text form, written where it is
//! stored (`store/`), shown (status, the desk, `/healthz`) or counted (metrics), and read back
//! only in `store/`. A leaf: imports nothing of the crate.

/// An enum whose variants each have one text form: `as_str`, `Display`, `Serialize`, parsing
/// (`from_text`, `None` for text no variant has) and comparison with that text (tests and
/// reports compare with the stored form).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The text form, as stored and shown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The variant whose text form is `text`.
            pub fn from_text(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
    };
}

text_enum! {
    /// What a source's last run left it in (`sources.state`).
    SourceState {
        /// No run recorded yet (no row, or a row the store reads as new).
        New => "new",
        /// Not run yet since this daemon started (`Store::mark_starting`).
        Starting => "starting",
        Ok => "ok",
        Failing => "failing",
        /// Weibo refuses it: a visitor or login cookie is needed.
        NeedsCookie => "needs-cookie",
        /// The item selector matched nothing where it used to.
        LayoutChanged => "layout-changed",
        /// The selector never matched, or the timeline answered empty.
        NoItems => "no-items",
    }
}

impl SourceState {
    /// Waits for its operator (a cookie, new selectors): a restart keeps it, health reports it.
    pub fn needs_operator(self) -> bool {
        matches!(self, SourceState::NeedsCookie | SourceState::LayoutChanged)
    }

    /// Has not had its first run (ever, or since the daemon started): nothing to judge yet.
    pub fn is_starting(self) -> bool {
        matches!(self, SourceState::New | SourceState::Starting)
    }

    /// The state as the store kept it. Text no variant has (written by a newer build) reads
    /// as `failing`: a state to look at, never mistaken for healthy.
    pub fn from_stored(text: &str) -> SourceState {
        SourceState::from_text(text).unwrap_or(SourceState::Failing)
    }
}

/// Before any run: nothing recorded.
impl Default for SourceState {
    fn default() -> SourceState {
        SourceState::New
    }
}

/// Tests and fixtures build runs from literals (`"ok".into()`).
impl From<&str> for SourceState {
    fn from(text: &str) -> SourceState {
        SourceState::from_stored(text)
    }
}

text_enum! {
    /// Why a fetch or a run failed (`fetch_runs.error_kind`, the metrics label).
    ErrorKind {
        Timeout => "timeout",
        Http418 => "http-418",
        Http429 => "http-429",
        /// Weibo's refusal of a client without a (valid) cookie.
        Http432 => "http-432",
        Http5xx => "http-5xx",
        Http4xx => "http-4xx",
        TooLarge => "too-large",
        Network => "network",
        Blocked => "blocked",
        CookieRejected => "cookie-rejected",
        AccountUnresolved => "account-unresolved",
        Parse => "parse",
        LayoutChanged => "layout-changed",
        NoItems => "no-items",
        CircuitOpen => "circuit-open",
        Store => "store",
    }
}

text_enum! {
    /// Where an outbox row is (`alerts.status`).
    AlertStatus {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
}

text_enum! {
    /// What raised an outbox row (`alerts.kind`).
    AlertKind {
        /// One flagged post.
        Post => "post",
        /// The same label from several sources within a window.
        Corroborated => "corroborated",
        /// A source that needs its operator.
        Operator => "operator",
    }
}

text_enum! {
    /// What happened to the post an outbox row is about (`alerts.event`).
    AlertEvent {
        Flagged => "flagged",
        Edited => "edited",
        Deleted => "deleted",
        Invisible => "invisible",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_form_reads_back_as_its_variant() {
        for s in SourceState::ALL {
            assert_eq!(SourceState::from_text(s.as_str()), Some(*s));
        }
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_text(k.as_str()), Some(*k));
        }
        for s in AlertStatus::ALL {
            assert_eq!(AlertStatus::from_text(s.as_str()), Some(*s));
        }
        for k in AlertKind::ALL {
            assert_eq!(AlertKind::from_text(k.as_str()), Some(*k));
        }
        for e in AlertEvent::ALL {
            assert_eq!(AlertEvent::from_text(e.as_str()), Some(*e));
        }
    }

    #[test]
    fn unknown_stored_state_is_not_healthy() {
        assert_eq!(SourceState::from_stored("paused"), SourceState::Failing);
        assert!(SourceState::NeedsCookie.needs_operator());
        assert!(!SourceState::Failing.needs_operator());
    }
}
