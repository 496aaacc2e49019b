INSERT INTO job_timeline (job_id, at, kind, state, attempt, status_code, worker_id, message)
VALUES (@job_id, @at, @kind, @state, @attempt, @status_code, @worker_id, @message);
