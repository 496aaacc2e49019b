-- Deleted explicitly before the job: the ON DELETE CASCADE only fires on connections that enable
-- foreign keys, and the database file may also be opened by other tools.
DELETE FROM job_timeline WHERE job_id = @id;
