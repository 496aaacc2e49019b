-- Rows are locked explicitly in id order: "= ANY" alone lets the planner pick a bitmap scan that
-- visits rows in physical order, and two statements locking overlapping sets in different orders
-- deadlock (seen under a 100,000-job backlog). FOR UPDATE re-checks the guard on the locked row.
WITH locked AS MATERIALIZED (
    SELECT id
    FROM jobs
    WHERE id = ANY (@ids)
      AND state = 3
      AND worker_id = @worker_id
    ORDER BY id
    FOR NO KEY UPDATE
)
UPDATE jobs AS j
SET lease_until = @lease_until
FROM locked
WHERE j.id = locked.id
RETURNING j.id;
