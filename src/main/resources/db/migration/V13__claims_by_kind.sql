-- A claim's first job is the oldest queued one (jobs_queued_by_collection, V12) or a running one whose lease expired:
-- those are found by their lease. One index of queued and running jobs in age order (jobs_claimable_by_collection)
-- made each claim read past every job in flight and the stale entries of finished ones: 850 index entries and 3 to
-- 10 ms a claim halfway through a 3,000-file import.
CREATE INDEX jobs_running_by_lease ON jobs (lease_until) WHERE status = 'running';
-- No query reads these any more; every job's insert and status change wrote to each of them.
DROP INDEX jobs_claimable_by_collection;
DROP INDEX jobs_claimable;
DROP INDEX jobs_by_status;
