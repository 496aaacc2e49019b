-- JobInsertMany for the commonest call, one job: the same rows and NOTIFY, with plain values instead of
-- eleven one-element arrays unnested and a materialised input, which costs the server more than the
-- rows themselves when a caller enqueues jobs one at a time.
WITH inserted AS (
    INSERT INTO jobs (queue, name, type, state, created_by, payload, metadata, priority, attempt,
                      max_attempts, run_at, created_at, timeout_ms, trace_parent)
    VALUES (@queue, @name, @type, CASE WHEN @run_at <= @now THEN 1 ELSE 2 END, @created_by, @payload,
            @metadata, @priority, 0, @max_attempts, @run_at, @now, @timeout_ms, @trace_parent)
    RETURNING id, state, queue
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt)
    SELECT id, @now, 'created', state, 0
    FROM inserted
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, queue)
    FROM inserted
    WHERE state = 1
)
SELECT id, (SELECT count(*) FROM woken) AS woken
FROM inserted;
