-- When an alert's request was about to go out. Set (and committed) before the request,
-- cleared with its outcome: a row still marked at start was in flight when the process
-- stopped, so it may have arrived; it is sent again with the same Idempotency-Key and counted.
ALTER TABLE alerts ADD COLUMN sending_at TEXT;
