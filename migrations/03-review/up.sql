-- Review: analysts' verdicts and the full-text index. Append-only.

-- One row per (post, label) verdict. The rows one review action writes share `batch`; a post's
-- current verdicts are the rows of its latest batch. `label` is NULL only when a post without
-- labels is dismissed as a whole.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    batch       INTEGER NOT NULL,
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    label       TEXT,
    verdict     TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'relabelled')),
    note        TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX reviews_post ON reviews(post_id, batch);

-- Full-text index over the jieba-segmented, normalised text (words joined by spaces), so the
-- unicode61 tokenizer sees Chinese words as tokens. rowid = posts.id. Rows are written by the
-- store in the ingest transaction; posts without a row (older posts, or whose text changed) are
-- indexed by `Store::index_missing`, which needs the segmenter and so cannot run in SQL.
CREATE VIRTUAL TABLE posts_fts USING fts5(words, tokenize = 'unicode61');

-- A post whose text changes (a Weibo preview completed) drops its stale index row, to be
-- re-indexed from the new text.
CREATE TRIGGER posts_fts_text_changed AFTER UPDATE OF text, retweet_text ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = new.id;
END;
