-- The queued jobs of a collection in the order a claim takes them (created_at, then id). The claim's batch of
-- further jobs was read through jobs_claimable_by_collection, whose order lacks the id and whose entries include
-- the running jobs: every queued job of the collection was read and sorted for each claim of at most 16 (3,000 rows
-- and 10 ms a claim halfway through a 6,000-file import; quadratic over it). Here a claim reads what it takes.
CREATE INDEX jobs_queued_by_collection ON jobs (collection_id, created_at, id) WHERE status = 'queued';
