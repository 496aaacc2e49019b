-- An external run is born active, attempt 1, leased to its reporter; it is never fetched or retried.
INSERT INTO jobs (
    queue, name, type, state, created_by, payload, metadata, priority, attempt, max_attempts,
    run_at, created_at, started_at, lease_until, worker_id, is_external, total_items, trace_parent)
VALUES (
    @queue, @name, @type, 3, @created_by, '{}', @metadata, 0, 1, 1,
    @now, @now, @now, @lease_until, @owner_id, 1, @total_items, @trace_parent)
RETURNING *;
