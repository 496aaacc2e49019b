-- One statement for a whole JobInsertMany batch instead of one per job. The batch's ids are one
-- contiguous range: they were just assigned by AUTOINCREMENT inside this write transaction.
INSERT INTO job_timeline (job_id, at, kind, state, attempt)
SELECT id, @at, @kind, state, attempt
FROM jobs
WHERE id BETWEEN @first_id AND @last_id
ORDER BY id;
