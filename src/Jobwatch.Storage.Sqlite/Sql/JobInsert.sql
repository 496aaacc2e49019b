INSERT INTO jobs (
    queue, name, type, state, created_by, payload, metadata, priority, attempt, max_attempts,
    run_at, created_at, timeout_ms, trace_parent)
VALUES (
    @queue, @name, @type, @state, @created_by, @payload, @metadata, @priority, 0, @max_attempts,
    @run_at, @created_at, @timeout_ms, @trace_parent)
RETURNING id;
