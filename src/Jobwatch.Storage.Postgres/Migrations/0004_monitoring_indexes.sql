-- Monitoring reads that stay fast with millions of jobs (measured with 1,000,000 by the benchmarks'
-- api scenario, see benchmarks/README.md). Applied once, inside the migrator's transaction and under
-- its advisory lock; on an existing store the index builds and the backfills read every job once.

-- Finished jobs per queue and state, and failed jobs per queue, name and status code, so queue
-- statistics and dead-letter statistics read a few hundred rows instead of counting every finished
-- job on each request (~200 ms with a million). status_code 0 stands for "none" (real codes are
-- 100–999). last_finished_at is the latest finish ever recorded (it survives deletes). Rows that drop
-- to 0 stay; readers skip them.
CREATE TABLE queue_finished_counts (
    queue            text        NOT NULL,
    state            smallint    NOT NULL,
    count            bigint      NOT NULL,
    last_finished_at timestamptz,
    PRIMARY KEY (queue, state)
);

CREATE TABLE dead_letter_counts (
    queue       text    NOT NULL,
    name        text    NOT NULL,
    status_code integer NOT NULL,
    count       bigint  NOT NULL,
    PRIMARY KEY (queue, name, status_code)
);

INSERT INTO queue_finished_counts (queue, state, count, last_finished_at)
SELECT queue, state, count(*), max(finished_at)
FROM jobs
WHERE state >= 4
GROUP BY queue, state;

INSERT INTO dead_letter_counts (queue, name, status_code, count)
SELECT queue, name, COALESCE(status_code, 0), count(*)
FROM jobs
WHERE state = 5
GROUP BY queue, name, COALESCE(status_code, 0);

-- Kept by statement-level triggers, in the transaction of the change: each statement (a whole batch of
-- finishes, a bulk retry) adds its net change per key in one upsert, instead of one upsert per row
-- (a batch of 500 completions would otherwise update one counter row 500 times). Keys are upserted in
-- sorted order, so two statements always lock counter rows in the same order and cannot deadlock
-- (every store write is a single statement). A row counts -1 under its old (queue, state) and +1 under
-- its new one, so updates that leave the state alone cancel out. Transition tables cannot be limited
-- to "UPDATE OF state", so the update trigger runs for every update statement; when no finished row
-- is involved (fetch, lease renewal, progress) it reads the statement's rows once and writes nothing.
CREATE FUNCTION jobs_count_finished() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO queue_finished_counts AS c (queue, state, count, last_finished_at)
        SELECT queue, state, count(*), max(finished_at)
        FROM new_rows WHERE state >= 4
        GROUP BY queue, state ORDER BY queue, state
        ON CONFLICT (queue, state) DO UPDATE
            SET count = c.count + excluded.count,
                last_finished_at = GREATEST(c.last_finished_at, excluded.last_finished_at);
        INSERT INTO dead_letter_counts AS c (queue, name, status_code, count)
        SELECT queue, name, COALESCE(status_code, 0), count(*)
        FROM new_rows WHERE state = 5
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (queue, name, status_code) DO UPDATE SET count = c.count + excluded.count;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE queue_finished_counts AS c SET count = c.count - d.n
        FROM (SELECT queue, state, count(*) AS n FROM old_rows WHERE state >= 4 GROUP BY queue, state ORDER BY queue, state) AS d
        WHERE c.queue = d.queue AND c.state = d.state;
        UPDATE dead_letter_counts AS c SET count = c.count - d.n
        FROM (SELECT queue, name, COALESCE(status_code, 0) AS status_code, count(*) AS n
              FROM old_rows WHERE state = 5 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS d
        WHERE c.queue = d.queue AND c.name = d.name AND c.status_code = d.status_code;
    ELSE
        INSERT INTO queue_finished_counts AS c (queue, state, count, last_finished_at)
        SELECT queue, state, sum(delta), max(finished_at)
        FROM (SELECT queue, state, 1 AS delta, finished_at FROM new_rows WHERE state >= 4
              UNION ALL
              SELECT queue, state, -1, NULL FROM old_rows WHERE state >= 4) AS d
        GROUP BY queue, state ORDER BY queue, state
        ON CONFLICT (queue, state) DO UPDATE
            SET count = c.count + excluded.count,
                last_finished_at = GREATEST(c.last_finished_at, excluded.last_finished_at);
        INSERT INTO dead_letter_counts AS c (queue, name, status_code, count)
        SELECT queue, name, status_code, sum(delta)
        FROM (SELECT queue, name, COALESCE(status_code, 0) AS status_code, 1 AS delta FROM new_rows WHERE state = 5
              UNION ALL
              SELECT queue, name, COALESCE(status_code, 0), -1 FROM old_rows WHERE state = 5) AS d
        GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (queue, name, status_code) DO UPDATE SET count = c.count + excluded.count;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_jobs_count_insert AFTER INSERT ON jobs
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_finished();

CREATE TRIGGER tr_jobs_count_update AFTER UPDATE ON jobs
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_finished();

CREATE TRIGGER tr_jobs_count_delete AFTER DELETE ON jobs
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_finished();

-- Failed jobs by finish time: "recent" failures and the oldest and newest in the dead-letter
-- statistics, and the recently failed list, read a range or an end of it. Failed rows only, so it
-- costs nothing until a job fails.
CREATE INDEX ix_jobs_failed ON jobs (finished_at, id) WHERE state = 5;

-- Failed jobs newest first (GET /api/v1/jobs?state=failed and its next pages): a backward walk that
-- stops at the limit, however rare failures are among all jobs. Failed rows only.
CREATE INDEX ix_jobs_failed_newest ON jobs (id) WHERE state = 5;

-- Recently finished jobs of one queue (the queue health endpoint samples each queue's latest finished
-- jobs; GET /api/v1/jobs?queue=…&order=recently_finished). Without it the walk down ix_jobs_finished
-- reads every finished job of other queues first: a queue with 1% of the traffic cost thousands of
-- row reads, and one with none recently (or a paused, empty one) a scan of all history, on every
-- health poll. The hot path pays for it: one more index entry per finished job.
CREATE INDEX ix_jobs_queue_finished ON jobs (queue, finished_at, id) WHERE finished_at IS NOT NULL;

-- Jobs of one queue, newest first (GET /api/v1/jobs?queue=…, the dashboard's queue view). Without it
-- the list walks all jobs newest first until the page is full: fine for a busy queue, but a queue with
-- little recent traffic (or a paused one with none) cost a scan of every job, ~0.5–1 s with a million.
-- queue and id never change, so it costs an insert one B-tree entry and nothing after that.
CREATE INDEX ix_jobs_queue_id ON jobs (queue, id);
