-- The timeline goes with the job, in the same statement (there is no cascading foreign key, see
-- migration 0006). The rows affected are the job's only.
WITH timeline AS (
    DELETE FROM job_timeline WHERE job_id = @id
)
DELETE FROM jobs WHERE id = @id;
