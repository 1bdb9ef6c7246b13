-- A document's jobs by key: the newest job of a duplicate upload, and the jobs a deleted document takes with it
-- (ON DELETE CASCADE), were a scan of every job each (quadratic when an archive of known files is imported again,
-- or a large collection deleted).
CREATE INDEX jobs_by_document ON jobs (document_id, created_at);
