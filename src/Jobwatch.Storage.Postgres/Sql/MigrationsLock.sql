-- Held until the migration transaction ends: nodes starting at once apply migrations one after the
-- other, and every later one finds them recorded. The key is derived from the schema name, so stores
-- in different schemas of one database do not wait for each other.
SELECT pg_advisory_xact_lock(@key);
