-- Cluster mode (issue 15): PostgreSQL as the shared store and the coordinator.
-- Times are timestamptz and always come from the database's now(), never an instance clock.

-- Every source, leased to at most one instance at a time. `fence` grows with every claim: a
-- run commits only while its fence is still the row's (a paused instance whose lease was
-- taken over cannot commit).
CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    egress          TEXT,                      -- pinned to one egress, or any
    every_secs      INTEGER NOT NULL CHECK (every_secs > 0),
    next_due        TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    fence           BIGINT NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'ok',
    last_run_at     TIMESTAMPTZ,
    last_success_at TIMESTAMPTZ,
    last_error      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_due ON sources (next_due);

-- Instances announce themselves; `status` and the desk list them.
CREATE TABLE instances (
    id          TEXT PRIMARY KEY,
    egress      TEXT NOT NULL,
    version     TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A 418 on an egress cools it down for every instance fetching through it (exponential).
CREATE TABLE egress_cooldowns (
    egress      TEXT PRIMARY KEY,
    strikes     INTEGER NOT NULL DEFAULT 0,
    until       TIMESTAMPTZ NOT NULL
);

CREATE TABLE posts (
    id              BIGSERIAL PRIMARY KEY,
    source_id       TEXT NOT NULL REFERENCES sources(id),
    platform_id     TEXT NOT NULL,
    author          TEXT NOT NULL,
    text            TEXT NOT NULL,
    url             TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_at_raw  TEXT NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (source_id, platform_id)
);

CREATE TABLE fetch_runs (
    id          BIGSERIAL PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources(id),
    instance_id TEXT NOT NULL,
    fence       BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    outcome     TEXT NOT NULL,
    new_posts   INTEGER NOT NULL
);
