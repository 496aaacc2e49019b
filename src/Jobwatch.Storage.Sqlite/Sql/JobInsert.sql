-- One row; JobInserter repeats the VALUES tuple (parameters suffixed _0, _1 …) to insert many rows
-- per statement. Ids come from last_insert_rowid: within the writer's transaction AUTOINCREMENT hands
-- a statement's rows consecutive ids, so the last id gives them all.
INSERT INTO jobs (
    queue, name, type, state, created_by, payload, metadata, priority, attempt, max_attempts,
    run_at, created_at, timeout_ms, trace_parent)
VALUES (
    @queue, @name, @type, @state, @created_by, @payload, @metadata, @priority, 0, @max_attempts,
    @run_at, @created_at, @timeout_ms, @trace_parent);
