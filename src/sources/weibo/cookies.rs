//! Weibo visitor cookies (REFERENCE §1.6): without a login cookie, m.weibo.cn answers 432 or
//! `ok:-100`; a `SUB`/`SUBP` pair from the visitor passport (`genvisitor2`) lets anonymous
//! clients read timelines. One renewal at a time (the lock is held across the request, so
//! sources that hit 432 together wait for one renewal and share its cookie) and at most one
//! per `cooldown`: several clients renewing at once trip Weibo's guard.
//!
//! In cluster mode (`VisitorCookies::shared`) the cookie lives in PostgreSQL per egress
//! (`store::pg`'s `visitor_cookies`): every instance fetching through one egress reads it and
//! renews it there, one renewal at a time across instances, the cool-down on the database's
//! clock. The local slot then only keeps the last cookie read, for when the database cannot
//! be reached. Login cookies never pass through here (`client::get` sends them as they are).
//!
//! Cookies are secrets: they are never logged or put in errors.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use url::Url;

use super::parse as weibo;
use crate::fetch::{FetchError, Fetcher};
use crate::store::pg::{PgStore, Renewal};

#[derive(Debug, Default)]
struct Slot {
    cookie: Option<String>,
    last_attempt: Option<Instant>,
    renewals: u32,
}

pub struct VisitorCookies {
    cooldown: Duration,
    slots: Mutex<HashMap<String, Slot>>,
    /// Cluster mode: the egress's cookies in the shared database.
    shared: Option<SharedJar>,
}

/// Where cluster mode keeps the visitor cookies of the egress this instance fetches through.
struct SharedJar {
    pg: PgStore,
    egress: String,
}

impl std::fmt::Debug for VisitorCookies {
    // Cookies are secrets: Debug shows the shape, never a value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisitorCookies")
            .field("cooldown", &self.cooldown)
            .field("egress", &self.shared.as_ref().map(|s| s.egress.as_str()))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenewError {
    #[error(
        "the last visitor-cookie renewal was {ago:?} ago; the next is allowed in {retry_in:?}"
    )]
    Cooldown { ago: Duration, retry_in: Duration },
    #[error("visitor passport failed: {0}")]
    Fetch(#[from] FetchError),
    #[error(
        "the visitor passport at {0} answered without `data.sub`; its format may have changed"
    )]
    NoCookie(Url),
    /// Cluster mode: the shared database could not be asked (nothing was renewed).
    #[error("the visitor cookies in the shared database: {0}")]
    Shared(String),
}

impl VisitorCookies {
    pub fn new(cooldown: Duration) -> VisitorCookies {
        VisitorCookies {
            cooldown,
            slots: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Cluster mode: the cookies of `egress`, kept in the shared database for every instance
    /// fetching through it.
    pub fn shared(cooldown: Duration, pg: PgStore, egress: &str) -> VisitorCookies {
        VisitorCookies {
            shared: Some(SharedJar {
                pg,
                egress: egress.to_string(),
            }),
            ..VisitorCookies::new(cooldown)
        }
    }

    /// The visitor cookie obtained from this passport, if any (in cluster mode, by any
    /// instance on this egress; the last one read when the database cannot be asked).
    pub async fn current(&self, passport: &Url) -> Option<String> {
        if let Some(jar) = &self.shared {
            match jar.pg.visitor_cookie(&jar.egress, passport.as_str()).await {
                Ok(Some(c)) => {
                    let mut slots = self.slots.lock().await;
                    slots
                        .entry(passport.as_str().to_string())
                        .or_default()
                        .cookie = Some(c.clone());
                    return Some(c);
                }
                Ok(None) => return None,
                Err(e) => {
                    tracing::debug!(error = %e, "Cannot read the shared visitor cookie; using the last one read.");
                }
            }
        }
        self.slots
            .lock()
            .await
            .get(passport.as_str())
            .and_then(|s| s.cookie.clone())
    }

    /// How many renewals succeeded for this passport (for tests and status).
    pub async fn renewals(&self, passport: &Url) -> u32 {
        self.slots
            .lock()
            .await
            .get(passport.as_str())
            .map_or(0, |s| s.renewals)
    }

    /// A fresh visitor cookie. `stale` is the cookie that just failed: when another caller has
    /// already replaced it, that newer cookie is returned without a request.
    pub async fn renew(
        &self,
        fetcher: &Fetcher,
        passport: &Url,
        stale: Option<&str>,
    ) -> Result<String, RenewError> {
        // Held across the request (and, in cluster mode, across the database's renewal): this
        // instance's sources wait here rather than each holding a pooled connection.
        let mut slots = self.slots.lock().await;
        let slot = slots.entry(passport.as_str().to_string()).or_default();
        if let Some(jar) = &self.shared {
            let renewal = jar
                .pg
                .renew_visitor_cookie(&jar.egress, passport.as_str(), stale, self.cooldown, || {
                    request(fetcher, passport)
                })
                .await
                .map_err(|e| RenewError::Shared(e.to_string()))?;
            return match renewal {
                Renewal::Current(c) => {
                    slot.cookie = Some(c.clone());
                    Ok(c)
                }
                Renewal::Renewed(c) => {
                    slot.cookie = Some(c.clone());
                    slot.renewals += 1;
                    tracing::info!(passport = %passport, egress = %jar.egress, "Obtained a Weibo visitor cookie for this egress.");
                    Ok(c)
                }
                Renewal::Cooldown { ago, retry_in } => Err(RenewError::Cooldown { ago, retry_in }),
                Renewal::Failed(e) => Err(e),
            };
        }
        if let Some(c) = &slot.cookie {
            if Some(c.as_str()) != stale {
                return Ok(c.clone());
            }
        }
        let now = Instant::now();
        if let Some(last) = slot.last_attempt {
            let ago = now.duration_since(last);
            if ago < self.cooldown {
                return Err(RenewError::Cooldown {
                    ago,
                    retry_in: self.cooldown - ago,
                });
            }
        }
        slot.last_attempt = Some(now);
        let cookie = request(fetcher, passport).await?;
        slot.cookie = Some(cookie.clone());
        slot.renewals += 1;
        tracing::info!(passport = %passport, "Obtained a Weibo visitor cookie.");
        Ok(cookie)
    }
}

/// One request to the visitor passport (`genvisitor2`): its `SUB`/`SUBP` as a cookie header.
async fn request(fetcher: &Fetcher, passport: &Url) -> Result<String, RenewError> {
    let url = weibo::genvisitor_url(passport);
    let headers = [
        ("Referer", format!("{}visitor/visitor", passport.as_str())),
        ("Accept", "*/*".to_string()),
    ];
    let fetched = fetcher
        .post_form(&url, &headers, &weibo::genvisitor_form())
        .await?;
    weibo::parse_genvisitor(&fetched.body).ok_or(RenewError::NoCookie(url))
}
