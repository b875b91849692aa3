-- Per-source HTTP and layout memory for the rss and html sources. Append-only.

-- One row per (source, URL) fetched as a list or feed: the conditional-GET validators of the
-- last answer, and whether the item selector has ever matched (for `layout-changed`).
CREATE TABLE source_pages (
    source_id      TEXT NOT NULL REFERENCES sources(id),
    url            TEXT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    items_matched  INTEGER NOT NULL DEFAULT 0,   -- items matched on the last page that matched
    ever_matched   INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (source_id, url)
);

-- Counted per source: how often a layout change was seen (never silent).
ALTER TABLE sources ADD COLUMN layout_changes INTEGER NOT NULL DEFAULT 0;
