-- "= ANY" over the primary key visits the ids in ascending order, so two statements that lock
-- overlapping sets of jobs lock them in the same order and cannot deadlock each other.
UPDATE jobs
SET lease_until = @lease_until
WHERE id = ANY (@ids)
  AND state = 3
  AND worker_id = @worker_id
RETURNING id;
