-- Monitoring reads that stay fast with millions of jobs (measured with 1,000,000 by the benchmarks'
-- api scenario, see benchmarks/README.md). Applied once, inside the migrator's BEGIN IMMEDIATE
-- transaction; on an existing store the index builds and the backfill read every job once.

-- Failed jobs newest first (GET /api/v1/jobs?state=failed, its next pages, and with a queue or name):
-- ix_jobs_failed is ordered by finished_at, so listing by id had to read and sort the whole dead-letter
-- queue (85,000 rows: ~60 ms a page). Keyed by id, a page is a short backward walk that stops at the
-- limit; queue, name and status_code are carried so those filters are checked in the index. Like
-- ix_jobs_failed it costs nothing until a job fails.
CREATE INDEX ix_jobs_failed_newest ON jobs (id, queue, name, status_code) WHERE state = 5;

-- Recently finished jobs of one queue (the queue health endpoint samples each queue's latest finished
-- jobs; GET /api/v1/jobs?queue=…&order=recently_finished). Without it the walk down ix_jobs_finished
-- reads every finished job of other queues first: a queue with 1% of the traffic cost ~5,000 row reads,
-- and one with none recently (or a paused, empty one) a scan of all history, ~0.7 s with a million,
-- on every health poll. state is carried for the state filters. The hot path pays for it: one more
-- B-tree entry per finished job (measured: about +3 µs of CPU per job drained).
CREATE INDEX ix_jobs_queue_finished ON jobs (queue, finished_at, id, state) WHERE finished_at IS NOT NULL;

-- Failed jobs per (queue, name, status code), kept by triggers in the transaction of the state change,
-- so dead-letter statistics read a few hundred rows instead of grouping the whole dead-letter queue
-- three times (~300 ms with 85,000 failed jobs). status_code 0 stands for "none" (a primary key column
-- cannot be NULL; real codes are 100–999). Rows that drop to 0 stay; readers skip them.
CREATE TABLE dead_letter_counts (
    queue       TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    status_code INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (queue, name, status_code)
) WITHOUT ROWID;

INSERT INTO dead_letter_counts (queue, name, status_code, count)
SELECT queue, name, coalesce(status_code, 0), count(*)
FROM jobs
WHERE state = 5
GROUP BY queue, name, coalesce(status_code, 0);

-- As with queue_finished_counts: one statement per trigger, and a WHEN that is false (so costs next to
-- nothing) for every transition that neither enters nor leaves the failed state.
CREATE TRIGGER tr_jobs_failed_enter AFTER UPDATE OF state, status_code ON jobs
WHEN new.state = 5 AND (old.state <> 5 OR old.status_code IS NOT new.status_code)
BEGIN
    INSERT INTO dead_letter_counts (queue, name, status_code, count)
    VALUES (new.queue, new.name, coalesce(new.status_code, 0), 1)
    ON CONFLICT (queue, name, status_code) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER tr_jobs_failed_leave AFTER UPDATE OF state, status_code ON jobs
WHEN old.state = 5 AND (new.state <> 5 OR old.status_code IS NOT new.status_code)
BEGIN
    UPDATE dead_letter_counts SET count = count - 1
    WHERE queue = old.queue AND name = old.name AND status_code = coalesce(old.status_code, 0);
END;

CREATE TRIGGER tr_jobs_failed_insert AFTER INSERT ON jobs
WHEN new.state = 5
BEGIN
    INSERT INTO dead_letter_counts (queue, name, status_code, count)
    VALUES (new.queue, new.name, coalesce(new.status_code, 0), 1)
    ON CONFLICT (queue, name, status_code) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER tr_jobs_failed_delete AFTER DELETE ON jobs
WHEN old.state = 5
BEGIN
    UPDATE dead_letter_counts SET count = count - 1
    WHERE queue = old.queue AND name = old.name AND status_code = coalesce(old.status_code, 0);
END;

-- Jobs of one queue, newest first (GET /api/v1/jobs?queue=…, the dashboard's queue view). Without it
-- the list walks all jobs newest first until the page is full: fine for a busy queue, but a queue with
-- little recent traffic (or a paused one with none) cost a scan of every job, ~0.5–1 s with a million.
-- queue and id never change, so it costs an insert one B-tree entry and nothing after that.
CREATE INDEX ix_jobs_queue_id ON jobs (queue, id);
