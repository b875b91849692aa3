-- Alerts beyond single posts in cluster mode (issue 15, "Shared outbox"): corroborated and
-- operator alerts, the daily digest and the rate-limit digest, with the semantics they have in
-- one process (migrations/04-alerts, 11-alert-sending), made unique in the schema so that
-- several instances racing raise or send each one once.

-- Which alerts went out in one rate-limit digest (the digest's Idempotency-Key).
ALTER TABLE alerts ADD COLUMN digest_key TEXT;

-- Every message a channel received (one alert, or a digest of several): what its rate limits
-- count. Before this, the limits counted sent alerts; those become one message each.
CREATE TABLE channel_sends (
    id              BIGSERIAL PRIMARY KEY,
    channel_id      TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    idempotency_key TEXT NOT NULL,
    alerts          INTEGER NOT NULL,
    sent_by         TEXT
);
CREATE INDEX channel_sends_recent ON channel_sends (channel_id, sent_at);
INSERT INTO channel_sends (channel_id, sent_at, idempotency_key, alerts, sent_by)
    SELECT channel_id, sent_at, idempotency_key, 1, sent_by FROM alerts
    WHERE status = 'sent' AND sent_at IS NOT NULL;

-- At most one corroborated alert per channel and label within the corroboration window:
-- raising one moves `raised_at` only when the last was raised a window ago or more, in the
-- transaction that queues the alert, so of two instances racing exactly one queues it.
CREATE TABLE corroborated_labels (
    channel_id  TEXT NOT NULL,
    label       TEXT NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel_id, label)
);

-- A source's open operator incident: its alerts are queued only when the row is created or
-- its condition changes, so an incident raises one alert per channel across the cluster.
CREATE TABLE operator_incidents (
    source_id   TEXT PRIMARY KEY,
    condition   TEXT NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The daily digest of each channel and local day: marked (fenced by the channel's lease)
-- before its request, `sent_at` set after. A mark without `sent_at` is a digest in flight or
-- failed: the channel's holder sends it again (same Idempotency-Key) until it is sent.
CREATE TABLE daily_digests (
    channel_id  TEXT NOT NULL,
    day         TEXT NOT NULL,                -- YYYY-MM-DD in the channel's digest zone
    sending_by  TEXT NOT NULL,
    sending_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    PRIMARY KEY (channel_id, day)
);

-- Operator alerts judge a source that never had a good run from its first run: every
-- instance asks at every outbox round, so that look-up must not scan every run recorded.
CREATE INDEX fetch_runs_source ON fetch_runs (source_id, started_at);
