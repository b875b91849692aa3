-- Search (issue 15): the same character n-grams FTS5 indexes on SQLite (text::search), as a
-- tsvector with positions written by windvane itself (no PostgreSQL parser or dictionary:
-- CJK text is not split by it), and a GIN index. A phrase of bigrams (<->) then matches
-- exactly where a typed string occurs, as on SQLite.
ALTER TABLE posts ADD COLUMN search TSVECTOR NOT NULL DEFAULT ''::tsvector;
CREATE INDEX posts_search ON posts USING GIN (search);
