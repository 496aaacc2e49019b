-- Every timeline row (created at enqueue, started at fetch, the outcome at finish) ran the foreign key's
-- check: a query that locks the job's row FOR KEY SHARE, about 25 µs of server time a row, which is
-- three times per job, on the statements every job passes through. The timeline is written only by the
-- store's own statements, always for the job they have just inserted or updated in the same statement,
-- so the check can never fail; deleting a job deletes its timeline explicitly (JobDelete.sql) instead of
-- by cascade. A timeline row left by a statement racing a delete names an id that is never reused and
-- that no read asks for.
ALTER TABLE job_timeline DROP CONSTRAINT IF EXISTS job_timeline_job_id_fkey;
