-- Weibo sources in detail (issue 3). Append-only.

-- What a Weibo post carries beyond its text. NULL (or '[]') for other kinds and older rows.
ALTER TABLE posts ADD COLUMN edit_at TEXT;              -- UTC, RFC 3339: the author's last edit
ALTER TABLE posts ADD COLUMN edit_at_raw TEXT;          -- as Weibo wrote it
ALTER TABLE posts ADD COLUMN pics TEXT NOT NULL DEFAULT '[]';   -- JSON array of picture URLs
ALTER TABLE posts ADD COLUMN reposts_count INTEGER;     -- "100万+" stored as 1000000
ALTER TABLE posts ADD COLUMN comments_count INTEGER;
ALTER TABLE posts ADD COLUMN attitudes_count INTEGER;
-- When a later pass last tried to complete a preview (`truncated = 1`): previews never tried
-- go first, then the longest untried, so a few that always fail cannot starve the rest.
ALTER TABLE posts ADD COLUMN full_text_tried_at TEXT;

-- How a Weibo source's account was resolved: its uid (from `screen_name` through the mobile
-- site when the config gives no uid) and its timeline container (from the profile's
-- `tabsInfo`, else 107603{uid}). Resolved once; resolved again when the configured account
-- changes or the timeline answers empty.
CREATE TABLE weibo_accounts (
    source_id      TEXT PRIMARY KEY REFERENCES sources(id),
    configured     TEXT NOT NULL,   -- `uid:<uid>` or `screen_name:<name>`, as configured
    uid            TEXT NOT NULL,
    screen_name    TEXT,
    containerid    TEXT NOT NULL,
    container_from TEXT NOT NULL,   -- tabsInfo | default
    resolved_at    TEXT NOT NULL
);
