-- Everything here reads ix_jobs_failed, a covering index of failed jobs only, so the cost grows
-- with the dead-letter queue, never with all jobs. INDEXED BY because, left alone, SQLite would
-- rather walk ix_jobs_name_id over every job to avoid sorting the groups by name.
SELECT
    count(*) AS Total,
    count(*) FILTER (WHERE finished_at >= @recent_since) AS Recent,
    min(finished_at) AS OldestFailedAt,
    max(finished_at) AS NewestFailedAt
FROM jobs INDEXED BY ix_jobs_failed
WHERE state = 5;

SELECT queue AS Key, count(*) AS Count
FROM jobs INDEXED BY ix_jobs_failed
WHERE state = 5
GROUP BY queue;

SELECT name AS Key, count(*) AS Count
FROM jobs INDEXED BY ix_jobs_failed
WHERE state = 5
GROUP BY name;

SELECT status_code AS Key, count(*) AS Count
FROM jobs INDEXED BY ix_jobs_failed
WHERE state = 5 AND status_code IS NOT NULL
GROUP BY status_code;
