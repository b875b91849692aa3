-- The search index without its own copy of the words (issue 8: import speed). Append-only.
--
-- posts_fts stored every post's segmented words a second time (in posts_fts_content: a fifth
-- of an imported database) although nothing reads them back: a search needs only rowid and
-- rank, and the words can always be rebuilt from posts.text. A contentless table
-- (`content = ''`) keeps just the inverted index; `contentless_delete = 1` (SQLite 3.43+)
-- keeps `DELETE ... WHERE rowid = ?`, which the text-changed trigger and re-indexing use.
--
-- The `ascii` tokenizer replaces `unicode61`: the words are already normalised by windvane
-- (half-width, lower-case, punctuation dropped, space-separated), so unicode61's per-character
-- category, case-folding and diacritic look-ups only cost time; ascii splits on ASCII
-- non-alphanumerics and keeps every non-ASCII character as part of a word, which on this
-- input gives the same tokens. Queries go through the same tokenizer, so they stay consistent.

CREATE VIRTUAL TABLE posts_fts_v2 USING fts5(
    words, content = '', contentless_delete = 1, tokenize = 'ascii'
);
-- Existing rows keep their words: copied from the old table, no re-segmenting.
INSERT INTO posts_fts_v2 (rowid, words) SELECT rowid, words FROM posts_fts;

DROP TRIGGER posts_fts_text_changed;
DROP TABLE posts_fts;
ALTER TABLE posts_fts_v2 RENAME TO posts_fts;

CREATE TRIGGER posts_fts_text_changed AFTER UPDATE OF text, retweet_text ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = new.id;
    INSERT OR IGNORE INTO posts_fts_pending (post_id) VALUES (new.id);
END;

-- As in 07: a bulk import buffers 32 MB of terms before writing a segment.
INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', 33554432);
