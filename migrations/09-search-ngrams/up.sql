-- Search finds what analysts type (issue 16). Append-only.
--
-- posts_fts held jieba's words, so a word inside a longer token (磋商 in 经贸磋商) was never
-- found and prefix queries matched strings that were not there (中美 in 中美洲). It now holds
-- character n-grams (text::search::index_terms: every run of letters and digits as its
-- overlapping bigrams, then its last character), which windvane computes, so the rows are
-- rebuilt from posts.text by Store::index_missing (the new table is empty, so every post is
-- newer than its newest row) rather than here. Still contentless, with the ascii tokenizer.
--
-- prefix = '1': a one-character query is a prefix query (bigrams starting with it); the
-- one-character prefix index answers it from one list instead of merging thousands of terms.

DROP TRIGGER posts_fts_text_changed;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(
    words, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '1'
);
DELETE FROM posts_fts_pending;

CREATE TRIGGER posts_fts_text_changed AFTER UPDATE OF text, retweet_text ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = new.id;
    INSERT OR IGNORE INTO posts_fts_pending (post_id) VALUES (new.id);
END;

INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', 33554432);
