-- When each run's source fell due (the lease's due time): started_at - due_at is the
-- scheduling delay `status` and the benchmark report. Empty for runs from before, and for runs
-- copied from SQLite.
ALTER TABLE fetch_runs ADD COLUMN due_at TIMESTAMPTZ;
