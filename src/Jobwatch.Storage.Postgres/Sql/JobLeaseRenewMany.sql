-- Rows are locked explicitly in id order: "= ANY" alone lets the planner pick a bitmap scan that
-- visits rows in physical order, and two statements locking overlapping sets in different orders
-- deadlock (seen under a 100,000-job backlog). FOR UPDATE re-checks the guard on the locked row.
-- The state is read under the lock rather than filtered on, as in JobFinishMany: "state = 3" would
-- let stale statistics send the planner through the partial lease index (every running job). The
-- update reaches the rows by id, not by the ctid locked here (see JobFinishMany).
WITH locked AS MATERIALIZED (
    SELECT id, state = 3 AS running
    FROM jobs
    WHERE id = ANY (@ids)
      AND worker_id = @worker_id
    ORDER BY id
    FOR NO KEY UPDATE
)
UPDATE jobs AS j
SET lease_until = @lease_until
FROM locked AS l
WHERE j.id = l.id
  AND l.running
RETURNING j.id;
