//! Weibo visitor cookies per egress (cluster mode): every instance fetching through one egress
//! reads one cookie, and renews it one at a time: the renewing instance holds the cookie's row
//! locked while its request runs, so another instance whose cookie just failed waits for that
//! renewal and takes its cookie rather than asking the passport again. The cool-down between
//! renewals is counted on the database's clock. Only visitor cookies are stored here.

use std::future::Future;
use std::time::Duration;

use super::{Context as _, PgError, PgStore};

/// What a renewal came to.
#[derive(Debug)]
pub enum Renewal<E> {
    /// Another caller (of this or another instance) renewed the cookie that failed: its
    /// newer cookie, with no request made.
    Current(String),
    /// The last attempt on this egress was too recent.
    Cooldown { ago: Duration, retry_in: Duration },
    /// The request gave this cookie; it is stored for the egress.
    Renewed(String),
    /// The request failed (its attempt still counts for the cool-down).
    Failed(E),
}

impl PgStore {
    /// The visitor cookie instances on `egress` use for this passport, if one was obtained.
    pub async fn visitor_cookie(
        &self,
        egress: &str,
        passport: &str,
    ) -> Result<Option<String>, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT cookie FROM visitor_cookies WHERE egress = $1 AND passport = $2",
                &[&egress, &passport],
            )
            .await
            .context("read a visitor cookie")?;
        Ok(row.and_then(|r| r.get(0)))
    }

    /// Renews the egress's visitor cookie with `request`, unless another caller already
    /// replaced `stale` (the cookie that just failed) or the last attempt is less than
    /// `cooldown` ago. The row stays locked while `request` runs: callers on the same egress
    /// wait for it and then find the new cookie.
    pub async fn renew_visitor_cookie<E, Fut>(
        &self,
        egress: &str,
        passport: &str,
        stale: Option<&str>,
        cooldown: Duration,
        request: impl FnOnce() -> Fut,
    ) -> Result<Renewal<E>, PgError>
    where
        Fut: Future<Output = Result<String, E>>,
    {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a visitor-cookie renewal")?;
        tx.execute(
            "INSERT INTO visitor_cookies (egress, passport) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&egress, &passport],
        )
        .await
        .context("register a visitor cookie")?;
        let row = tx
            .query_one(
                "SELECT cookie, extract(epoch FROM now() - attempted_at)::float8
                 FROM visitor_cookies WHERE egress = $1 AND passport = $2 FOR UPDATE",
                &[&egress, &passport],
            )
            .await
            .context("lock a visitor cookie")?;
        let (cookie, ago): (Option<String>, Option<f64>) = (row.get(0), row.get(1));
        if let Some(c) = cookie.filter(|c| Some(c.as_str()) != stale) {
            tx.commit().await.context("end a visitor-cookie renewal")?;
            return Ok(Renewal::Current(c));
        }
        if let Some(ago) = ago.map(|s| Duration::from_secs_f64(s.max(0.0))) {
            if ago < cooldown {
                tx.commit().await.context("end a visitor-cookie renewal")?;
                return Ok(Renewal::Cooldown {
                    ago,
                    retry_in: cooldown - ago,
                });
            }
        }
        tx.execute(
            "UPDATE visitor_cookies SET attempted_at = now() WHERE egress = $1 AND passport = $2",
            &[&egress, &passport],
        )
        .await
        .context("record a visitor-cookie attempt")?;
        let outcome = match request().await {
            Ok(c) => {
                tx.execute(
                    "UPDATE visitor_cookies SET cookie = $3, renewed_at = now(),
                         renewals = renewals + 1
                     WHERE egress = $1 AND passport = $2",
                    &[&egress, &passport, &c],
                )
                .await
                .context("store a visitor cookie")?;
                Renewal::Renewed(c)
            }
            Err(e) => Renewal::Failed(e),
        };
        tx.commit()
            .await
            .context("commit a visitor-cookie renewal")?;
        Ok(outcome)
    }

    /// How many renewals succeeded for `egress` (every passport), for tests and `status`.
    pub async fn visitor_renewals(&self, egress: &str) -> Result<i64, PgError> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT coalesce(sum(renewals), 0)::bigint FROM visitor_cookies WHERE egress = $1",
                &[&egress],
            )
            .await
            .context("count visitor-cookie renewals")?;
        Ok(row.get(0))
    }
}
