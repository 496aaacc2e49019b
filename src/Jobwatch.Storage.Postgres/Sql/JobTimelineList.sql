SELECT job_id, at, kind, state, attempt, status_code, worker_id, message
FROM job_timeline
WHERE job_id = @job_id
ORDER BY id;
