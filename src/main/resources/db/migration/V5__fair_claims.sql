-- Jobs are claimed round-robin over collections (IngestionService.claim): the next collection after the one served
-- last, its oldest claimable job. This index makes each step one index lookup, however long the queue.
CREATE INDEX jobs_claimable_by_collection ON jobs (collection_id, created_at) WHERE status IN ('queued', 'running');
