-- Verdicts carry a version (issue 15), as on SQLite (migrations/12-review-version): every
-- recorded review raises its post's `review_version` in the same transaction, which also locks
-- the post's row, so two analysts on two instances deciding on one post are serialised and the
-- second, holding an older version, is refused. Posts reviewed before (copied from SQLite)
-- start at their number of review batches.
ALTER TABLE posts ADD COLUMN review_version BIGINT NOT NULL DEFAULT 0;
UPDATE posts p SET review_version = r.batches
FROM (SELECT post_id, count(DISTINCT batch) AS batches FROM reviews GROUP BY post_id) r
WHERE r.post_id = p.id;
