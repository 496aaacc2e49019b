-- One statement for every update of a flush. A null means "not reported", never "clear": a later
-- report that omits the total keeps it. No indexed column changes here, so with the table's
-- fillfactor these are HOT updates. Rows are locked in id order first (as in JobFinishMany), since
-- a join may otherwise visit them in physical order and deadlock with a concurrent batch. As there,
-- rows are found by id and the state is read under the lock, so stale statistics cannot send the
-- planner through the partial lease index once per row; the update, too, reaches them by id, and
-- takes each row's values from the locked set rather than joining the input again (see JobFinishMany).
WITH u AS (
    SELECT *
    FROM unnest(@ids::bigint[], @worker_ids::text[], @attempts::integer[], @total_items::bigint[],
                @items_succeeded::bigint[], @items_failed::bigint[], @reported_percents::double precision[],
                @custom_progresses::text[], @updated_bys::text[], @progress_ats::timestamptz[],
                @lease_untils::timestamptz[])
         AS u (id, worker_id, attempt, total_items, items_succeeded, items_failed, reported_percent,
               custom_progress, updated_by, progress_at, lease_until)
),
locked AS MATERIALIZED (
    SELECT u.*, j.state = 3 AS running
    FROM u
    JOIN jobs AS j ON j.id = u.id
    WHERE j.worker_id = u.worker_id
      AND j.attempt = u.attempt
    ORDER BY j.id
    FOR NO KEY UPDATE OF j
)
UPDATE jobs AS j
SET total_items = COALESCE(u.total_items, j.total_items),
    items_succeeded = u.items_succeeded,
    items_failed = u.items_failed,
    reported_percent = COALESCE(u.reported_percent, j.reported_percent),
    custom_progress = COALESCE(u.custom_progress, j.custom_progress),
    updated_by = COALESCE(u.updated_by, j.updated_by),
    progress_at = u.progress_at,
    lease_until = COALESCE(u.lease_until, j.lease_until)
FROM locked AS u
WHERE j.id = u.id
  AND u.running
RETURNING j.id;
