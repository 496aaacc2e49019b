-- One statement (one snapshot, one round trip). Counts come from dead_letter_counts (kept by
-- triggers, a row per queue, name and status code; see 0004_monitoring_indexes.sql), so the cost grows
-- with the number of those combinations, never with the number of failed jobs. Only "recent" reads
-- jobs: a range of ix_jobs_failed from @recent_since on; oldest and newest are its two ends.
-- "grouping_id" says what a row holds, as GROUPING(queue, name, status_code) would: 7 the totals,
-- 3 by queue, 5 by name, 6 by status code (0 in the table means none and is not listed).
WITH counts AS (
    SELECT queue, name, status_code, count
    FROM dead_letter_counts
    WHERE count <> 0
)
SELECT 7 AS grouping_id, NULL::text AS queue, NULL::text AS name, NULL::integer AS status_code,
       COALESCE((SELECT sum(count) FROM counts), 0)::bigint AS total,
       (SELECT count(*) FROM jobs WHERE state = 5 AND finished_at >= @recent_since) AS recent,
       (SELECT min(finished_at) FROM jobs WHERE state = 5) AS oldest_failed_at,
       (SELECT max(finished_at) FROM jobs WHERE state = 5) AS newest_failed_at
UNION ALL
SELECT 3, queue, NULL, NULL, sum(count)::bigint, 0, NULL, NULL
FROM counts GROUP BY queue HAVING sum(count) > 0
UNION ALL
SELECT 5, NULL, name, NULL, sum(count)::bigint, 0, NULL, NULL
FROM counts GROUP BY name HAVING sum(count) > 0
UNION ALL
SELECT 6, NULL, NULL, status_code, sum(count)::bigint, 0, NULL, NULL
FROM counts WHERE status_code <> 0 GROUP BY status_code HAVING sum(count) > 0;
