-- @ids is a JSON array: one statement and one prepared plan whatever the batch size.
UPDATE jobs
SET lease_until = @lease_until
WHERE id IN (SELECT value FROM json_each(@ids))
  AND state = 3
  AND worker_id = @worker_id
RETURNING id;
