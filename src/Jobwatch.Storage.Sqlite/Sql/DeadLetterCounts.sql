-- Counts come from dead_letter_counts (kept by triggers, a row per queue, name and code), so the cost
-- grows with the number of those combinations, never with the number of failed jobs. Only "recent"
-- reads jobs: a range of ix_jobs_failed from @recent_since on; oldest and newest are its two ends.
-- Run in one read transaction, so every figure describes the same moment.
SELECT
    (SELECT coalesce(sum(count), 0) FROM dead_letter_counts) AS Total,
    (SELECT count(*) FROM jobs INDEXED BY ix_jobs_failed WHERE state = 5 AND finished_at >= @recent_since) AS Recent,
    (SELECT min(finished_at) FROM jobs INDEXED BY ix_jobs_failed WHERE state = 5) AS OldestFailedAt,
    (SELECT max(finished_at) FROM jobs INDEXED BY ix_jobs_failed WHERE state = 5) AS NewestFailedAt;

SELECT queue AS Key, sum(count) AS Count
FROM dead_letter_counts
GROUP BY queue
HAVING sum(count) > 0;

SELECT name AS Key, sum(count) AS Count
FROM dead_letter_counts
GROUP BY name
HAVING sum(count) > 0;

-- 0 is "no status code" (see the migration).
SELECT status_code AS Key, sum(count) AS Count
FROM dead_letter_counts
WHERE status_code <> 0
GROUP BY status_code
HAVING sum(count) > 0;
