//! Per-source memory for the fetchers: conditional-GET validators, whether a list page's item
//! selector ever matched, layout-change counts, Weibo posts whose full text is still due, and
//! how each Weibo account was resolved (uid and timeline container).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Doing, Result, Store};
use crate::fetch::Validators;

/// What was remembered about one page of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMemory {
    pub validators: Validators,
    pub ever_matched: bool,
    pub items_matched: i64,
}

/// A Weibo source's resolved account (`weibo_accounts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeiboAccount {
    /// `uid:<uid>` or `screen_name:<name>`: what the config said when this was resolved.
    pub configured: String,
    pub uid: String,
    pub screen_name: Option<String>,
    pub containerid: String,
    /// `tabsInfo` (from the profile) or `default` (107603{uid}).
    pub container_from: String,
}

impl Store {
    pub fn weibo_account(&self, source_id: &str) -> Result<Option<WeiboAccount>> {
        self.lock()
            .query_row(
                "SELECT configured, uid, screen_name, containerid, container_from
                 FROM weibo_accounts WHERE source_id = ?1",
                [source_id],
                |r| {
                    Ok(WeiboAccount {
                        configured: r.get(0)?,
                        uid: r.get(1)?,
                        screen_name: r.get(2)?,
                        containerid: r.get(3)?,
                        container_from: r.get(4)?,
                    })
                },
            )
            .optional()
            .doing("reading a Weibo account")
    }

    pub fn save_weibo_account(
        &self,
        source_id: &str,
        a: &WeiboAccount,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO weibo_accounts (source_id, configured, uid, screen_name, containerid,
                    container_from, resolved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(source_id) DO UPDATE SET configured = excluded.configured,
                    uid = excluded.uid, screen_name = excluded.screen_name,
                    containerid = excluded.containerid, container_from = excluded.container_from,
                    resolved_at = excluded.resolved_at",
                params![
                    source_id,
                    a.configured,
                    a.uid,
                    a.screen_name,
                    a.containerid,
                    a.container_from,
                    ts(now)
                ],
            )
            .doing("saving a Weibo account")?;
        Ok(())
    }

    /// Forgets a resolution that stopped working; the next run resolves the account again.
    pub fn forget_weibo_account(&self, source_id: &str) -> Result<()> {
        self.lock()
            .execute(
                "DELETE FROM weibo_accounts WHERE source_id = ?1",
                [source_id],
            )
            .doing("forgetting a Weibo account")?;
        Ok(())
    }

    pub fn page_memory(&self, source_id: &str, url: &str) -> Result<PageMemory> {
        self.lock()
            .query_row(
                "SELECT etag, last_modified, ever_matched, items_matched FROM source_pages
                 WHERE source_id = ?1 AND url = ?2",
                params![source_id, url],
                |r| {
                    Ok(PageMemory {
                        validators: Validators {
                            etag: r.get(0)?,
                            last_modified: r.get(1)?,
                        },
                        ever_matched: r.get(2)?,
                        items_matched: r.get(3)?,
                    })
                },
            )
            .optional()
            .doing("reading a page's memory")
            .map(Option::unwrap_or_default)
    }

    /// Remembers a page after a successful parse: its validators and how many items matched.
    pub fn remember_page(
        &self,
        source_id: &str,
        url: &str,
        validators: &Validators,
        items_matched: usize,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO source_pages (source_id, url, etag, last_modified, items_matched,
                    ever_matched, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5 > 0, ?6)
                 ON CONFLICT(source_id, url) DO UPDATE SET etag = excluded.etag,
                    last_modified = excluded.last_modified,
                    items_matched = CASE WHEN excluded.items_matched > 0
                        THEN excluded.items_matched ELSE items_matched END,
                    ever_matched = ever_matched OR excluded.ever_matched,
                    updated_at = excluded.updated_at",
                params![
                    source_id,
                    url,
                    validators.etag,
                    validators.last_modified,
                    items_matched as i64,
                    ts(now)
                ],
            )
            .doing("remembering a page")?;
        Ok(())
    }

    /// Forgets a page's validators, so the next fetch is unconditional (after a layout change
    /// the page must be read again even if the server says it did not change).
    pub fn forget_validators(&self, source_id: &str, url: &str) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE source_pages SET etag = NULL, last_modified = NULL
                 WHERE source_id = ?1 AND url = ?2",
                params![source_id, url],
            )
            .doing("forgetting a page's validators")?;
        Ok(())
    }

    /// Counts one more layout change for a source; returns the new total.
    pub fn count_layout_change(&self, source_id: &str) -> Result<i64> {
        let conn = self.lock();
        conn.execute(
            "UPDATE sources SET layout_changes = layout_changes + 1 WHERE id = ?1",
            [source_id],
        )
        .doing("counting a layout change")?;
        conn.query_row(
            "SELECT layout_changes FROM sources WHERE id = ?1",
            [source_id],
            |r| r.get(0),
        )
        .doing("counting a layout change")
    }

    pub fn layout_changes(&self, source_id: &str) -> Result<i64> {
        self.read()
            .query_row(
                "SELECT layout_changes FROM sources WHERE id = ?1",
                [source_id],
                |r| r.get(0),
            )
            .optional()
            .doing("reading layout changes")
            .map(|n| n.unwrap_or(0))
    }

    /// Whether the source has stored any post (first run → backfill).
    pub fn has_posts(&self, source_id: &str) -> Result<bool> {
        self.read()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM posts WHERE source_id = ?1)",
                [source_id],
                |r| r.get(0),
            )
            .doing("checking for stored posts")
    }

    /// Replaces a stored preview by the full text and clears `truncated`. Returns whether a
    /// truncated row was updated. (The classification stays the one made on the preview.)
    pub fn complete_post_text(
        &self,
        source_id: &str,
        platform_id: &str,
        text: &str,
    ) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "UPDATE posts SET text = ?3, truncated = 0
                 WHERE source_id = ?1 AND platform_id = ?2 AND truncated = 1",
                params![source_id, platform_id, text],
            )
            .doing("completing a post's text")?;
        Ok(n > 0)
    }
}

impl Store {
    /// An interrupted backfill: the next page's since_id and the pages left.
    pub fn backfill_cursor(&self, source_id: &str) -> Result<Option<(String, u32)>> {
        self.lock()
            .query_row(
                "SELECT backfill_since, backfill_pages_left FROM sources WHERE id = ?1",
                [source_id],
                |r| {
                    Ok(
                        match (r.get::<_, Option<String>>(0)?, r.get::<_, Option<u32>>(1)?) {
                            (Some(s), Some(n)) if n > 0 => Some((s, n)),
                            _ => None,
                        },
                    )
                },
            )
            .optional()
            .doing("reading a backfill cursor")
            .map(Option::flatten)
    }

    /// Records (or with `None` clears) where a backfill goes on.
    pub fn set_backfill_cursor(&self, source_id: &str, cursor: Option<(&str, u32)>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE sources SET backfill_since = ?2, backfill_pages_left = ?3 WHERE id = ?1",
                params![source_id, cursor.map(|c| c.0), cursor.map(|c| c.1)],
            )
            .doing("recording a backfill cursor")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_memory_round_trip() {
        let s = Store::open_in_memory().unwrap();
        s.ensure_source("a", "html", "A").unwrap();
        assert_eq!(
            s.page_memory("a", "http://x/").unwrap(),
            PageMemory::default()
        );
        let v = Validators {
            etag: Some("\"e1\"".into()),
            last_modified: None,
        };
        s.remember_page("a", "http://x/", &v, 5, Utc::now())
            .unwrap();
        s.remember_page("a", "http://x/", &v, 0, Utc::now())
            .unwrap();
        let m = s.page_memory("a", "http://x/").unwrap();
        assert!(
            m.ever_matched,
            "a later empty page does not erase the memory"
        );
        assert_eq!(
            (m.items_matched, m.validators.etag.as_deref()),
            (5, Some("\"e1\""))
        );
        s.forget_validators("a", "http://x/").unwrap();
        assert!(s
            .page_memory("a", "http://x/")
            .unwrap()
            .validators
            .is_empty());
        assert_eq!(s.count_layout_change("a").unwrap(), 1);
        assert_eq!(s.count_layout_change("a").unwrap(), 2);
        assert_eq!(s.layout_changes("a").unwrap(), 2);
        assert!(!s.has_posts("a").unwrap());
    }

    #[test]
    fn weibo_account_round_trip() {
        let s = Store::open_in_memory().unwrap();
        s.ensure_source("w", "weibo", "W").unwrap();
        assert_eq!(s.weibo_account("w").unwrap(), None);
        let mut a = WeiboAccount {
            configured: "screen_name:明日方舟Arknights".into(),
            uid: "6279793937".into(),
            screen_name: Some("明日方舟Arknights".into()),
            containerid: "1076036279793937".into(),
            container_from: "tabsInfo".into(),
        };
        s.save_weibo_account("w", &a, Utc::now()).unwrap();
        assert_eq!(s.weibo_account("w").unwrap().as_ref(), Some(&a));
        a.containerid = "2302836279793937".into();
        s.save_weibo_account("w", &a, Utc::now()).unwrap();
        assert_eq!(s.weibo_account("w").unwrap(), Some(a));
        s.forget_weibo_account("w").unwrap();
        assert_eq!(s.weibo_account("w").unwrap(), None);
    }
}
