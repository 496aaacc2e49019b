-- Read under the lock. The schema is created only when missing, so a deployment whose role may not
-- CREATE in the database can still run against a schema its DBA created. clock_timestamp() lets
-- the store warn about a node whose clock is far from the server's (see PostgresJobStore).
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema) AS schema_exists,
       clock_timestamp() AS server_now;
