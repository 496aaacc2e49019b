-- The filters marker below receives the set fragments of JobListFilters.sql (see JobListQuery for why).
-- "finished_at IS NOT NULL" lets the planner walk ix_jobs_finished backwards.
SELECT *
FROM jobs
WHERE finished_at IS NOT NULL
/*filters*/
ORDER BY finished_at DESC, id DESC
LIMIT @limit;
