//! Weibo visitor cookies (REFERENCE §1.6): without a login cookie, m.weibo.cn answers 432 or
//! `ok:-100`; a `SUB`/`SUBP` pair from the visitor passport (`genvisitor2`) lets anonymous
//! clients read timelines. One renewal at a time (the lock is held across the request, so
//! sources that hit 432 together wait for one renewal and share its cookie) and at most one
//! per `cooldown`: several clients renewing at once trip Weibo's guard.
//!
//! Cookies are secrets: they are never logged or put in errors.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use url::Url;

use super::parse as weibo;
use crate::fetch::{FetchError, Fetcher};

#[derive(Debug, Default)]
struct Slot {
    cookie: Option<String>,
    last_attempt: Option<Instant>,
    renewals: u32,
}

#[derive(Debug)]
pub struct VisitorCookies {
    cooldown: Duration,
    slots: Mutex<HashMap<String, Slot>>,
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
}

impl VisitorCookies {
    pub fn new(cooldown: Duration) -> VisitorCookies {
        VisitorCookies {
            cooldown,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The visitor cookie obtained from this passport, if any.
    pub async fn current(&self, passport: &Url) -> Option<String> {
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
        let mut slots = self.slots.lock().await;
        let slot = slots.entry(passport.as_str().to_string()).or_default();
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
        let url = weibo::genvisitor_url(passport);
        let headers = [
            ("Referer", format!("{}visitor/visitor", passport.as_str())),
            ("Accept", "*/*".to_string()),
        ];
        let fetched = fetcher
            .post_form(&url, &headers, &weibo::genvisitor_form())
            .await?;
        let cookie = weibo::parse_genvisitor(&fetched.body).ok_or(RenewError::NoCookie(url))?;
        slot.cookie = Some(cookie.clone());
        slot.renewals += 1;
        tracing::info!(passport = %passport, "Obtained a Weibo visitor cookie.");
        Ok(cookie)
    }
}
