-- Cost grows with the number of queues and of unfinished jobs, never with finished history:
-- finished counts come from queue_finished_counts (kept by triggers), the rest from small partial
-- indexes. Terms that look redundant ("state IN (1, 2)", "state = 3") are what lets SQLite use
-- those partial indexes; INDEXED BY keeps it there, since ix_jobs_queue_id (queue, id) would
-- otherwise look attractive for "queue = ?" and grouping by queue, and walk every job of the queue
-- (without statistics SQLite cannot tell that a state's partial index is far smaller).
WITH RECURSIVE runnable_queues (queue) AS (
    -- A loose index scan: one seek per distinct queue with runnable jobs.
    SELECT (SELECT queue FROM jobs INDEXED BY ix_jobs_fetch WHERE state IN (1, 2) ORDER BY queue LIMIT 1)
    UNION ALL
    SELECT (SELECT j.queue FROM jobs AS j INDEXED BY ix_jobs_fetch WHERE j.state IN (1, 2) AND j.queue > r.queue ORDER BY j.queue LIMIT 1)
    FROM runnable_queues AS r
    WHERE r.queue IS NOT NULL
),
all_queues (queue) AS (
    SELECT queue FROM runnable_queues WHERE queue IS NOT NULL
    UNION
    SELECT queue FROM jobs INDEXED BY ix_jobs_lease WHERE state = 3
    UNION
    SELECT queue FROM queue_finished_counts WHERE count > 0
    UNION
    SELECT name FROM queues
)
SELECT
    q.queue AS Queue,
    -- A delayed job whose run_at has passed is waiting (the promoter may just not have run yet).
    (SELECT count(*) FROM jobs INDEXED BY ix_jobs_fetch
     WHERE queue = q.queue AND state IN (1, 2) AND (state = 1 OR run_at <= @now)) AS Waiting,
    (SELECT count(*) FROM jobs INDEXED BY ix_jobs_lease WHERE state = 3 AND queue = q.queue) AS Active,
    (SELECT count(*) FROM jobs INDEXED BY ix_jobs_fetch
     WHERE queue = q.queue AND state IN (1, 2) AND state = 2 AND run_at > @now) AS Delayed,
    coalesce((SELECT count FROM queue_finished_counts WHERE queue = q.queue AND state = 4), 0) AS Completed,
    coalesce((SELECT count FROM queue_finished_counts WHERE queue = q.queue AND state = 5), 0) AS Failed,
    coalesce((SELECT count FROM queue_finished_counts WHERE queue = q.queue AND state = 6), 0) AS Cancelled,
    coalesce((SELECT paused FROM queues WHERE name = q.queue), 0) AS Paused,
    (SELECT min(run_at) FROM jobs INDEXED BY ix_jobs_fetch
     WHERE queue = q.queue AND state IN (1, 2) AND (state = 1 OR run_at <= @now)) AS OldestWaitingSince,
    (SELECT max(last_finished_at) FROM queue_finished_counts WHERE queue = q.queue) AS LastFinishedAt
FROM all_queues AS q
ORDER BY q.queue;
