-- Every outcome of a batch in one guarded statement. @kinds holds JobFinishKind: 0 complete,
-- 1 retry, 2 dead-letter, 3 release. The guard (id, worker, attempt, active) is checked on the locked
-- row: a job that changed hands (cancelled, rescued, deleted) does not match and is left untouched. Progress
-- columns are null when the outcome carries no final progress (then nothing changes).
WITH input AS (
    SELECT *
    FROM unnest(@ids::bigint[], @worker_ids::text[], @attempts::integer[], @kinds::smallint[],
                @status_codes::integer[], @status_labels::text[], @results::text[], @errors::text[],
                @error_stacks::text[], @retry_ats::timestamptz[], @ats::timestamptz[],
                @total_items::bigint[], @items_succeeded::bigint[], @items_failed::bigint[],
                @reported_percents::double precision[], @custom_progresses::text[], @updated_bys::text[],
                @progress_ats::timestamptz[])
         AS f (id, worker_id, attempt, kind, status_code, status_label, result, error, error_stack,
               retry_at, at, total_items, items_succeeded, items_failed, reported_percent,
               custom_progress, updated_by, progress_at)
),
-- Lock the rows in id order first, so concurrent batches (finishes, renewals, rescue) that touch
-- overlapping jobs always lock them in the same order and cannot deadlock. The rows are found by id
-- only: "state = 3" here would let the planner scan the partial lease index (every running job) when
-- statistics taken while nothing ran say it is empty, once per row of the batch in a nested loop
-- (300 ms a batch instead of 15 ms, seen right after autovacuum analysed a freshly filled table).
-- So the state is read under the lock instead, and the update reaches each row by id (never by the
-- ctid seen here: a renewal that committed while we waited for the lock made a row version newer
-- than this statement's snapshot, which the update could not see, and the outcome was lost).
-- The locked rows carry their outcome, so the update joins nothing else: a generic plan guesses ten
-- input rows and would otherwise join the input by a nested loop, once per row (100 ms a batch).
locked AS MATERIALIZED (
    SELECT f.*, j.state = 3 AS running
    FROM input AS f
    JOIN jobs AS j ON j.id = f.id
    WHERE j.worker_id = f.worker_id
      AND j.attempt = f.attempt
    ORDER BY j.id
    FOR NO KEY UPDATE OF j
),
finished AS (
    UPDATE jobs AS j
    SET state = CASE f.kind WHEN 0 THEN 4 WHEN 1 THEN 2 WHEN 2 THEN 5 ELSE 1 END,
        -- Release gives the attempt back, so the next fetch runs the same attempt number.
        attempt = CASE WHEN f.kind = 3 THEN j.attempt - 1 ELSE j.attempt END,
        started_at = CASE WHEN f.kind = 3 THEN NULL ELSE j.started_at END,
        finished_at = CASE WHEN f.kind IN (0, 2) THEN f.at ELSE j.finished_at END,
        run_at = CASE WHEN f.kind = 1 THEN f.retry_at ELSE j.run_at END,
        status_code = CASE WHEN f.kind = 3 THEN j.status_code ELSE f.status_code END,
        status_label = CASE WHEN f.kind = 3 THEN j.status_label ELSE f.status_label END,
        result = CASE WHEN f.kind = 0 THEN f.result ELSE j.result END,
        last_error = CASE WHEN f.kind IN (1, 2) THEN f.error ELSE j.last_error END,
        last_error_stack = CASE WHEN f.kind IN (1, 2) THEN f.error_stack ELSE j.last_error_stack END,
        lease_until = NULL,
        worker_id = NULL,
        total_items = COALESCE(f.total_items, j.total_items),
        items_succeeded = COALESCE(f.items_succeeded, j.items_succeeded),
        items_failed = COALESCE(f.items_failed, j.items_failed),
        reported_percent = COALESCE(f.reported_percent, j.reported_percent),
        custom_progress = COALESCE(f.custom_progress, j.custom_progress),
        updated_by = COALESCE(f.updated_by, j.updated_by),
        progress_at = COALESCE(f.progress_at, j.progress_at)
    FROM locked AS f
    WHERE j.id = f.id
      AND f.running
    RETURNING j.id, j.queue, j.state, f.kind, f.attempt, f.status_code, f.worker_id, f.error, f.at
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, status_code, worker_id, message)
    SELECT id, at,
           CASE kind WHEN 0 THEN 'completed' WHEN 1 THEN 'retrying' WHEN 2 THEN 'dead_lettered' ELSE 'released' END,
           state, attempt,
           CASE WHEN kind = 3 THEN NULL ELSE status_code END,
           worker_id,
           CASE WHEN kind IN (1, 2) THEN error END
    FROM finished
    ORDER BY id
),
woken AS MATERIALIZED (
    -- A released job is waiting again: wake the workers of its queue on every node.
    SELECT pg_notify(@channel, q.queue)
    FROM (SELECT DISTINCT queue FROM finished WHERE kind = 3) AS q
)
SELECT id, (SELECT count(*) FROM woken) AS woken
FROM finished
ORDER BY id;
