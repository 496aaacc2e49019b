-- One statement for the whole batch. Ids are drawn from the sequence in the materialised input, so
-- the result lists them in input order (RETURNING order is unspecified). The due queues are
-- NOTIFYed in the same transaction: PostgreSQL delivers at commit, to every listening node, and
-- never for a batch that rolled back.
WITH input AS MATERIALIZED (
    SELECT nextval('jobs_id_seq') AS id, t.*,
           CASE WHEN t.run_at <= @now THEN 1 ELSE 2 END::smallint AS state
    FROM unnest(@queues::text[], @names::text[], @types::text[], @payloads::text[], @metadatas::text[],
                @priorities::integer[], @max_attempts::integer[], @run_ats::timestamptz[],
                @created_bys::text[], @timeout_mss::bigint[], @trace_parents::text[])
         WITH ORDINALITY AS t (queue, name, type, payload, metadata, priority, max_attempts, run_at,
                               created_by, timeout_ms, trace_parent, ord)
),
inserted AS (
    INSERT INTO jobs (id, queue, name, type, state, created_by, payload, metadata, priority, attempt,
                      max_attempts, run_at, created_at, timeout_ms, trace_parent)
    SELECT id, queue, name, type, state, created_by, payload, metadata, priority, 0,
           max_attempts, run_at, @now, timeout_ms, trace_parent
    FROM input
    ORDER BY ord
    RETURNING id
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt)
    SELECT id, @now, 'created', state, 0
    FROM input
    ORDER BY ord
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, q.queue)
    FROM (SELECT DISTINCT queue FROM input WHERE state = 1) AS q
)
-- Referencing "woken" is what makes it run: a plain SELECT in a CTE is evaluated only on demand.
SELECT i.id, (SELECT count(*) FROM woken) AS woken
FROM input AS i
ORDER BY i.ord;
