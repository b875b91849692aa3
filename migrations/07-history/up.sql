-- History at scale (issue 8). Append-only.

-- Posts whose search-index row is missing or stale, so that a search does not have to scan
-- every post to find them: the text-changed trigger records a post here, and the posts stored
-- before the index existed are recorded once, now. `Store::index_missing` empties it.
CREATE TABLE posts_fts_pending (post_id INTEGER PRIMARY KEY);
INSERT INTO posts_fts_pending (post_id)
    SELECT id FROM posts WHERE id NOT IN (SELECT rowid FROM posts_fts);

DROP TRIGGER posts_fts_text_changed;
CREATE TRIGGER posts_fts_text_changed AFTER UPDATE OF text, retweet_text ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = new.id;
    INSERT OR IGNORE INTO posts_fts_pending (post_id) VALUES (new.id);
END;

-- Terms an FTS5 write buffers in memory before writing a segment: 32 MB instead of 1 MB, so a
-- bulk import writes fewer, larger segments (and merges less). Small writes are unaffected.
INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', 33554432);
