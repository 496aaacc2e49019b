-- Delayed jobs whose run_at has passed become waiting (the fetch would take them anyway; this keeps
-- the counts honest and wakes the workers of their queues on every node).
WITH due AS (
    SELECT id
    FROM jobs
    WHERE state = 2
      AND run_at <= @now
    ORDER BY run_at
    LIMIT @limit
    FOR UPDATE SKIP LOCKED
),
promoted AS (
    UPDATE jobs AS j
    SET state = 1
    FROM due
    WHERE j.id = due.id
      AND j.state = 2
    RETURNING j.queue
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, q.queue)
    FROM (SELECT DISTINCT queue FROM promoted) AS q
)
SELECT (SELECT count(*) FROM promoted) AS promoted, (SELECT count(*) FROM woken) AS woken;
