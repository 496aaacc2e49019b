-- Static SQL: every filter is optional through "@p IS NULL OR …" (the statement is never prepared
-- with a generic plan that could not fold them: bulk retry is rare). The scan walks
-- ix_jobs_finished_state over failed jobs only, a set the dead-letter queue keeps small.
WITH picked AS (
    SELECT id
    FROM jobs
    WHERE state = 5
      AND finished_at IS NOT NULL
      AND NOT is_external
      AND (@queue::text IS NULL OR queue = @queue)
      AND (@name::text IS NULL OR name = @name)
      AND (@status_code::integer IS NULL OR status_code = @status_code)
      AND (@failed_after::timestamptz IS NULL OR finished_at >= @failed_after)
      AND (@failed_before::timestamptz IS NULL OR finished_at < @failed_before)
    ORDER BY finished_at, id
    LIMIT @limit
    FOR UPDATE SKIP LOCKED
),
retried AS (
    UPDATE jobs AS j
    SET state = 1,
        attempt = 0,
        stalled_count = 0,
        run_at = @now,
        finished_at = NULL,
        worker_id = NULL,
        lease_until = NULL
    FROM picked
    WHERE j.id = picked.id
      AND j.state = 5
    RETURNING j.id, j.queue
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, message)
    SELECT id, @now, 'retried', 1, 0, @message
    FROM retried
    ORDER BY id
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, q.queue)
    FROM (SELECT DISTINCT queue FROM retried) AS q
)
SELECT id, (SELECT count(*) FROM woken) AS woken
FROM retried
ORDER BY id;
