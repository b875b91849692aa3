-- Completing stored previews later in cluster mode (issue 15; SQLite: migrations/06-sources-detail):
-- when a try to fetch a preview's full text last failed, so the next pass tries those never
-- tried first and the others oldest try first.
ALTER TABLE posts ADD COLUMN full_text_tried_at TIMESTAMPTZ;
CREATE INDEX posts_previews ON posts (source_id) WHERE truncated;
