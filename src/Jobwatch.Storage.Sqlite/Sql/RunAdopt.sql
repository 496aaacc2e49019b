-- The lease and progress_at are set as a report would (lease = progress_at + heartbeat timeout), since adoption
-- happens on a report. Takes over an active external run only if it is still owned by the owner (and attempt) the caller saw:
-- two servers adopting at once cannot both win, and the old owner's later writes no longer match.
UPDATE jobs
SET worker_id = @new_owner_id,
    lease_until = @lease_until,
    progress_at = @now
WHERE id = @id
  AND state = 3
  AND is_external = 1
  AND worker_id = @expected_worker_id
  AND attempt = @expected_attempt
RETURNING *;
