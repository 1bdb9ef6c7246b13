-- Jobs are claimed by one worker at a time with a lease; an expired lease lets another replica take over.
ALTER TABLE jobs ADD COLUMN worker TEXT;
ALTER TABLE jobs ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE jobs ADD COLUMN attempts INT NOT NULL DEFAULT 0;
CREATE INDEX jobs_claimable ON jobs (created_at) WHERE status IN ('queued', 'running');
