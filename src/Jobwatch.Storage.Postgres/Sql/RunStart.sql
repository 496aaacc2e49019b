-- An external run is born active, attempt 1, leased to its reporter; it is never fetched or retried.
WITH inserted AS (
    INSERT INTO jobs (queue, name, type, state, created_by, payload, metadata, priority, attempt, max_attempts,
                      run_at, created_at, started_at, lease_until, worker_id, is_external, total_items, trace_parent)
    VALUES (@queue, @name, @type, 3, @created_by, '{}', @metadata, 0, 1, 1,
            @now, @now, @now, @lease_until, @owner_id, true, @total_items, @trace_parent)
    RETURNING *
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, worker_id)
    SELECT i.id, @now, e.kind, 3, 1, @owner_id
    FROM inserted AS i
    CROSS JOIN (VALUES (1, 'created'), (2, 'started')) AS e (seq, kind)
    ORDER BY e.seq
)
SELECT * FROM inserted;
