-- The attempt stays spent: the next fetch starts attempt + 1.
UPDATE jobs
SET state = 1,
    stalled_count = stalled_count + 1,
    worker_id = NULL,
    lease_until = NULL
WHERE id = @id
  AND state = 3
  AND lease_until < @now
RETURNING *;
