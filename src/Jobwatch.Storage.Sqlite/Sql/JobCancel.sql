-- worker_id is kept so the record still shows who was running it; the lease is dropped, so that
-- worker's next renewal (and its finish) no longer matches.
UPDATE jobs
SET state = 6,
    finished_at = @now,
    lease_until = NULL
WHERE id = @id
  AND state IN (1, 2, 3)
RETURNING *;
