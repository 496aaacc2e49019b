-- Every aggregate in one statement (one snapshot, one round trip) through GROUPING SETS over failed
-- jobs only: the cost grows with the dead-letter queue, not with all jobs. "grouping_id" says which
-- set a row belongs to: 7 the totals, 3 by queue, 5 by name, 6 by status code.
SELECT GROUPING(queue, name, status_code) AS grouping_id,
       queue, name, status_code,
       count(*) AS total,
       count(*) FILTER (WHERE finished_at >= @recent_since) AS recent,
       min(finished_at) AS oldest_failed_at,
       max(finished_at) AS newest_failed_at
FROM jobs
WHERE state = 5
  AND finished_at IS NOT NULL
GROUP BY GROUPING SETS ((), (queue), (name), (status_code));
