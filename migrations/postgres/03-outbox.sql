-- Cluster mode, the daemon's side (issue 15): classifications and the alerts they raise,
-- written in the run's fenced transaction, and the shared outbox's channel leases.

ALTER TABLE posts ADD COLUMN raw TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN truncated BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX posts_created ON posts (created_at);

CREATE TABLE classifications (
    id                 BIGSERIAL PRIMARY KEY,
    post_id            BIGINT NOT NULL REFERENCES posts(id),
    classifier_version TEXT NOT NULL,
    explanation        TEXT NOT NULL,
    classified_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (post_id, classifier_version)
);

CREATE TABLE classification_labels (
    classification_id BIGINT NOT NULL REFERENCES classifications(id) ON DELETE CASCADE,
    label             TEXT NOT NULL,
    score             DOUBLE PRECISION NOT NULL,
    evidence          TEXT NOT NULL,     -- JSON array of {term,start,end,gloss}
    PRIMARY KEY (classification_id, label)
);
CREATE INDEX classification_labels_label ON classification_labels (label, score);

-- The outbox: a row exists from the moment its post is flagged, in the same transaction.
-- `idempotency_key` (post + label + channel) is unique: no instance can raise an alert twice.
CREATE TABLE alerts (
    id               BIGSERIAL PRIMARY KEY,
    post_id          BIGINT REFERENCES posts(id),
    kind             TEXT NOT NULL DEFAULT 'post',
    label            TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    score            DOUBLE PRECISION NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL,          -- JSON, rendered at flag time
    status           TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sending_at       TIMESTAMPTZ,            -- marked (committed) before each request
    sending_by       TEXT,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at          TIMESTAMPTZ,
    sent_by          TEXT
);
CREATE INDEX alerts_due ON alerts (channel_id, status, id);

-- Each channel is sent by one instance at a time, so its order, rate limits and quiet hours
-- keep one process's semantics. `fence` grows with every change of owner: a sender whose
-- lease was taken over cannot mark or record a send.
CREATE TABLE channel_leases (
    channel_id  TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    until       TIMESTAMPTZ NOT NULL,
    fence       BIGINT NOT NULL DEFAULT 1
);
