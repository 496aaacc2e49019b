-- Select, decide and update in one statement. The outcome is decided from the row as locked:
-- 0 requeued (back to waiting, the attempt stays spent), 1 dead-lettered (stalled too often, or no
-- attempts left), 2 run stalled (an external run whose reporter went silent). SKIP LOCKED: a row
-- that a lease renewal holds right now is being renewed, so it is not expired; leave it.
WITH expired AS (
    SELECT id, lease_until, worker_id,
           COALESCE(progress_at, started_at, created_at) AS last_report,
           CASE WHEN is_external THEN 2
                WHEN stalled_count + 1 > @max_stalled_count OR attempt >= max_attempts THEN 1
                ELSE 0 END AS outcome
    FROM jobs
    WHERE state = 3
      AND lease_until < @now
    ORDER BY lease_until, id
    LIMIT @limit
    FOR UPDATE SKIP LOCKED
),
described AS (
    SELECT e.*,
           'lease expired at ' || to_char(e.lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
               || ' (worker ' || COALESCE(e.worker_id, '(none)') || ')' AS expired_message,
           to_char(e.last_report AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_report_text
    FROM expired AS e
),
rescued AS (
    UPDATE jobs AS j
    SET state = CASE WHEN d.outcome = 0 THEN 1 ELSE 5 END,
        stalled_count = j.stalled_count + 1,
        finished_at = CASE WHEN d.outcome = 0 THEN j.finished_at ELSE @now END,
        status_code = CASE WHEN d.outcome = 0 THEN j.status_code ELSE @status_code END,
        status_label = CASE WHEN d.outcome = 0 THEN j.status_label ELSE @status_label END,
        last_error = CASE d.outcome
                         WHEN 0 THEN j.last_error
                         WHEN 2 THEN 'stalled: no report since ' || d.last_report_text
                         ELSE 'stalled: ' || d.expired_message END,
        last_error_stack = CASE WHEN d.outcome = 0 THEN j.last_error_stack END,
        worker_id = NULL,
        lease_until = NULL
    FROM described AS d
    WHERE j.id = d.id
      AND j.state = 3
      AND j.lease_until < @now
    RETURNING j.*, d.outcome, d.worker_id AS old_worker_id, d.expired_message, d.lease_until AS old_lease_until
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, status_code, worker_id, message)
    SELECT r.id, @now, e.kind, r.state, r.attempt,
           CASE WHEN r.outcome = 0 THEN NULL ELSE @status_code END,
           r.old_worker_id,
           CASE WHEN e.seq = 1 THEN r.expired_message ELSE r.last_error END
    FROM rescued AS r
    CROSS JOIN (VALUES (1, 'stalled'), (2, 'dead_lettered')) AS e (seq, kind)
    WHERE e.seq = 1 OR r.outcome <> 0
    ORDER BY r.old_lease_until, r.id, e.seq
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, q.queue)
    FROM (SELECT DISTINCT queue FROM rescued WHERE outcome = 0) AS q
)
SELECT r.*, (SELECT count(*) FROM woken) AS woken
FROM rescued AS r
ORDER BY r.old_lease_until, r.id;
