-- Where an interrupted first-run backfill of a Weibo source goes on: the since_id of the next
-- timeline page and how many pages are left. Each page is committed as it is read, so a
-- restart resumes here instead of stopping at the newest stored post.
ALTER TABLE sources ADD COLUMN backfill_since TEXT;
ALTER TABLE sources ADD COLUMN backfill_pages_left INTEGER;
