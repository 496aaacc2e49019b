-- The lease and progress_at are set as a report would (lease = progress_at + heartbeat timeout), since adoption
-- happens on a report. Takes over an active external run only if it is still owned by the owner (and attempt) the caller saw:
-- two servers adopting at once cannot both win (the second waits on the row lock, then its guard fails),
-- and the old owner's later writes no longer match. The timeline entry is written only when the update was.
WITH adopted AS (
    UPDATE jobs
    SET worker_id = @new_owner_id,
        lease_until = @lease_until,
        progress_at = @now
    WHERE id = @id
      AND state = 3
      AND is_external
      AND worker_id = @expected_worker_id
      AND attempt = @expected_attempt
    RETURNING *
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, worker_id, message)
    SELECT a.id, @now, 'adopted', 3, a.attempt, @new_owner_id, 'taken over from ' || @expected_worker_id
    FROM adopted AS a
)
SELECT * FROM adopted;
