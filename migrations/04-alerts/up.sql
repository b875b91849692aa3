-- Alerts analysts act on (issue 5). Append-only.

-- Alerts not tied to one post (corroborated, operator, digest folds) need a nullable post_id,
-- which SQLite can only give by rebuilding the table. Every existing row is kept as kind 'post'.
CREATE TABLE alerts_v4 (
    id               INTEGER PRIMARY KEY,
    post_id          INTEGER REFERENCES posts(id),   -- NULL for operator alerts
    label            TEXT NOT NULL,                   -- a label, or 'operator'
    channel_id       TEXT NOT NULL,
    score            REAL NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,                   -- AlertMessage JSON, rendered per channel at send
    status           TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    kind             TEXT NOT NULL DEFAULT 'post',    -- post | corroborated | operator
    digest_key       TEXT                             -- set when it went out folded into a digest
);
INSERT INTO alerts_v4 (id, post_id, label, channel_id, score, idempotency_key, payload, status,
                       attempts, next_attempt_at, last_error, created_at, sent_at)
    SELECT id, post_id, label, channel_id, score, idempotency_key, payload, status,
           attempts, next_attempt_at, last_error, created_at, sent_at FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_v4 RENAME TO alerts;
CREATE INDEX alerts_due ON alerts(status, next_attempt_at);
CREATE INDEX alerts_channel ON alerts(channel_id, status, id);
CREATE INDEX alerts_kind ON alerts(kind, label, channel_id, created_at);

-- Every message a channel actually received (one alert, or one digest of many): what the
-- per-channel rate limits count.
CREATE TABLE channel_sends (
    id              INTEGER PRIMARY KEY,
    channel_id      TEXT NOT NULL,
    sent_at         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    alerts          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX channel_sends_time ON channel_sends(channel_id, sent_at);

-- One open operator incident per source (needs-cookie, layout-changed, stale): an operator
-- alert is raised when one opens, not on every tick; it closes when the source is ok again.
CREATE TABLE operator_incidents (
    source_id  TEXT PRIMARY KEY REFERENCES sources(id),
    condition  TEXT NOT NULL,
    raised_at  TEXT NOT NULL
);

-- Daily digests already sent, per channel and local date.
CREATE TABLE daily_digests (
    channel_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (channel_id, day)
);
