-- windvane schema, version 1. Append-only: later changes go in new migration folders.

CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'ok',   -- ok | failing | needs-cookie | layout-changed
    last_run_at     TEXT,
    last_success_at TEXT,
    last_error      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    source_id       TEXT NOT NULL REFERENCES sources(id),
    platform_id     TEXT NOT NULL,
    author          TEXT NOT NULL,
    text            TEXT NOT NULL,
    url             TEXT NOT NULL,
    created_at      TEXT NOT NULL,       -- UTC, RFC 3339
    created_at_raw  TEXT NOT NULL,       -- as the source wrote it
    fetched_at      TEXT NOT NULL,
    pinned          INTEGER NOT NULL DEFAULT 0,
    truncated       INTEGER NOT NULL DEFAULT 0,  -- full text still to fetch
    edit_count      INTEGER NOT NULL DEFAULT 0,
    retweet_id      TEXT,
    retweet_author  TEXT,
    retweet_text    TEXT,
    raw             TEXT NOT NULL,       -- the payload the post was parsed from
    UNIQUE (source_id, platform_id)
);
CREATE INDEX posts_created ON posts(created_at);

CREATE TABLE classifications (
    id                 INTEGER PRIMARY KEY,
    post_id            INTEGER NOT NULL REFERENCES posts(id),
    classifier_version TEXT NOT NULL,
    explanation        TEXT NOT NULL,
    classified_at      TEXT NOT NULL,
    UNIQUE (post_id, classifier_version)
);

CREATE TABLE classification_labels (
    classification_id INTEGER NOT NULL REFERENCES classifications(id) ON DELETE CASCADE,
    label             TEXT NOT NULL,
    score             REAL NOT NULL,
    evidence          TEXT NOT NULL,     -- JSON array of {term,start,end,gloss}
    PRIMARY KEY (classification_id, label)
);
CREATE INDEX classification_labels_label ON classification_labels(label, score);

-- The outbox: a row exists from the moment a post is flagged, in the same transaction.
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    post_id          INTEGER NOT NULL REFERENCES posts(id),
    label            TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    score            REAL NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,   -- post + label + channel
    payload          TEXT NOT NULL,          -- JSON, rendered at flag time
    status           TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX alerts_due ON alerts(status, next_attempt_at);

CREATE TABLE fetch_runs (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources(id),
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    outcome     TEXT NOT NULL,          -- ok | error
    fetched     INTEGER NOT NULL DEFAULT 0,
    new_posts   INTEGER NOT NULL DEFAULT 0,
    flagged     INTEGER NOT NULL DEFAULT 0,
    error_kind  TEXT,
    error       TEXT
);
CREATE INDEX fetch_runs_source ON fetch_runs(source_id, started_at);
