-- A cluster instance does what one process does (issue 15).

-- Weibo visitor cookies per egress (REFERENCE §1.6): every instance fetching through one
-- egress uses and renews one cookie, one renewal at a time (the row is locked while its
-- request runs) and at most one per cool-down, counted on the database's clock. Login
-- cookies are never written here: they stay in their operator's file or environment.
CREATE TABLE visitor_cookies (
    egress       TEXT NOT NULL,
    passport     TEXT NOT NULL,
    cookie       TEXT,
    renewed_at   TIMESTAMPTZ,
    attempted_at TIMESTAMPTZ,
    renewals     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (egress, passport)
);

-- What SQLite keeps of a post beside its text (migrations/05-daemon, 06-sources-detail):
-- pinned, the edit count and time, pictures (a JSON array of URLs), counts, and what a
-- recheck found (visibility, when it was last seen, when and why it went).
ALTER TABLE posts ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE posts ADD COLUMN edit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN edit_at TIMESTAMPTZ;
ALTER TABLE posts ADD COLUMN edit_at_raw TEXT;
ALTER TABLE posts ADD COLUMN pics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE posts ADD COLUMN reposts_count BIGINT;
ALTER TABLE posts ADD COLUMN comments_count BIGINT;
ALTER TABLE posts ADD COLUMN attitudes_count BIGINT;
ALTER TABLE posts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'visible'
    CHECK (visibility IN ('visible', 'deleted', 'invisible'));
ALTER TABLE posts ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE posts ADD COLUMN gone_at TIMESTAMPTZ;
ALTER TABLE posts ADD COLUMN gone_reason TEXT;
CREATE INDEX posts_recheck ON posts (source_id, created_at) WHERE visibility = 'visible';

-- The change an alert announces: `flagged` when its post was, `edited` / `deleted` /
-- `invisible` when a recheck found it so (IF NOT EXISTS: the outbox's own migrations may
-- add it too).
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS event TEXT NOT NULL DEFAULT 'flagged';

-- Rechecks run at their own pace (`recheck_every`), timed on the database's clock.
ALTER TABLE sources ADD COLUMN last_recheck_at TIMESTAMPTZ;

-- How many posts each run read (new or not), as SQLite's fetch_runs.fetched; empty for
-- runs recorded before.
ALTER TABLE fetch_runs ADD COLUMN fetched INTEGER;
