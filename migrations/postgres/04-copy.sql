-- `windvane store copy` (issue 15): what a SQLite database holds beyond the cluster's own
-- tables (post versions, reviews), and how far each table of each copied file has come, so
-- an interrupted copy resumes where it stopped.

CREATE TABLE post_versions (
    post_id     BIGINT NOT NULL REFERENCES posts(id),
    version     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    edit_count  INTEGER NOT NULL DEFAULT 0,
    seen_at     TIMESTAMPTZ NOT NULL,
    raw         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (post_id, version)
);

CREATE TABLE reviews (
    id          BIGSERIAL PRIMARY KEY,
    batch       BIGINT NOT NULL,
    post_id     BIGINT NOT NULL REFERENCES posts(id),
    label       TEXT,
    verdict     TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'relabelled')),
    note        TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX reviews_post ON reviews (post_id, batch);

-- Per copied file and table: the last SQLite row copied and how many rows were read.
CREATE TABLE copy_progress (
    source_db   TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    last_key    BIGINT NOT NULL DEFAULT 0,
    rows_read   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (source_db, table_name)
);
