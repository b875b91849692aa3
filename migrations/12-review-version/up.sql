-- Verdicts carry a version (issue 15): every recorded review raises its post's
-- `review_version` in the same transaction, and a review written against an older version is
-- refused (another analyst decided meanwhile; they reload and decide again). Posts reviewed
-- before this migration start at their number of review batches.
ALTER TABLE posts ADD COLUMN review_version INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET review_version =
    (SELECT count(DISTINCT r.batch) FROM reviews r WHERE r.post_id = posts.id)
WHERE id IN (SELECT post_id FROM reviews);
