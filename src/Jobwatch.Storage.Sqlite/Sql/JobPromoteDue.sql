UPDATE jobs
SET state = 1
WHERE id IN (
    SELECT id
    FROM jobs
    WHERE state = 2
      AND run_at <= @now
    ORDER BY run_at
    LIMIT @limit);
