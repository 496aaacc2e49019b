-- One statement, one snapshot. Cost grows with the number of queues and of unfinished jobs, never
-- with finished history: finished counts come from queue_finished_counts (kept by triggers, see
-- 0004_monitoring_indexes.sql), the rest from the partial indexes of their states: runnable rows
-- (ix_jobs_fetch, which carries state and run_at) and leased rows (ix_jobs_lease, which carries queue).
WITH runnable AS (
    SELECT queue,
           -- A delayed job whose run_at has passed is waiting (the promoter may just not have run yet).
           count(*) FILTER (WHERE state = 1 OR run_at <= @now) AS waiting,
           count(*) FILTER (WHERE state = 2 AND run_at > @now) AS delayed,
           min(run_at) FILTER (WHERE run_at <= @now) AS oldest_waiting_since
    FROM jobs
    WHERE state IN (1, 2)
    GROUP BY queue
),
active AS (
    SELECT queue, count(*) AS active
    FROM jobs
    WHERE state = 3
    GROUP BY queue
),
finished AS (
    SELECT queue,
           COALESCE(sum(count) FILTER (WHERE state = 4), 0)::bigint AS completed,
           COALESCE(sum(count) FILTER (WHERE state = 5), 0)::bigint AS failed,
           COALESCE(sum(count) FILTER (WHERE state = 6), 0)::bigint AS cancelled,
           max(last_finished_at) AS last_finished_at,
           sum(count) AS total
    FROM queue_finished_counts
    GROUP BY queue
),
all_queues AS (
    SELECT queue FROM runnable
    UNION
    SELECT queue FROM active
    UNION
    SELECT queue FROM finished WHERE total > 0
    UNION
    SELECT name FROM queues
)
SELECT q.queue,
       COALESCE(r.waiting, 0) AS waiting,
       COALESCE(a.active, 0) AS active,
       COALESCE(r.delayed, 0) AS delayed,
       COALESCE(f.completed, 0) AS completed,
       COALESCE(f.failed, 0) AS failed,
       COALESCE(f.cancelled, 0) AS cancelled,
       COALESCE(p.paused, false) AS paused,
       r.oldest_waiting_since,
       f.last_finished_at
FROM all_queues AS q
LEFT JOIN runnable AS r ON r.queue = q.queue
LEFT JOIN active AS a ON a.queue = q.queue
LEFT JOIN finished AS f ON f.queue = q.queue
LEFT JOIN queues AS p ON p.name = q.queue
ORDER BY q.queue;
