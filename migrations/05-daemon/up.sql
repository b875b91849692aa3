-- Long-running daemon: edits, deletions and rechecks. Append-only.

-- Every text a post has had. Version 1 is the text first stored (copied here when the first
-- change is seen); each change seen on a recheck adds the next version.
CREATE TABLE post_versions (
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    version     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    edit_count  INTEGER NOT NULL DEFAULT 0,
    seen_at     TEXT NOT NULL,
    raw         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (post_id, version)
);

-- visible | deleted | invisible. Set only after a second request confirmed it.
ALTER TABLE posts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'visible';
ALTER TABLE posts ADD COLUMN gone_at TEXT;            -- when deleted/invisible was confirmed
ALTER TABLE posts ADD COLUMN gone_reason TEXT;        -- the marker text that confirmed it
ALTER TABLE posts ADD COLUMN last_seen_at TEXT;       -- last time a recheck saw it on the timeline

-- When each source was last rechecked (the recheck runs at its own, slower pace).
ALTER TABLE sources ADD COLUMN last_recheck_at TEXT;

-- What an outbox row announces: the post being flagged, or a later change to a flagged post.
ALTER TABLE alerts ADD COLUMN event TEXT NOT NULL DEFAULT 'flagged';   -- flagged | edited | deleted | invisible
