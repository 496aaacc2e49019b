-- Times are INTEGER unix epoch microseconds (UTC); states are the JobState integers.
-- Applied once, inside the migrator's BEGIN IMMEDIATE transaction.

-- AUTOINCREMENT: an id is never handed out twice, even after the newest job is deleted, so a
-- link or cursor held by a client can never point at a different job later.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    queue            TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    state            INTEGER NOT NULL,
    status_code      INTEGER,
    status_label     TEXT,
    created_by       TEXT,
    updated_by       TEXT,
    payload          TEXT    NOT NULL,
    metadata         TEXT,
    priority         INTEGER NOT NULL DEFAULT 0,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 1,
    stalled_count    INTEGER NOT NULL DEFAULT 0,
    run_at           INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    lease_until      INTEGER,
    worker_id        TEXT,
    is_external      INTEGER NOT NULL DEFAULT 0,
    total_items      INTEGER,
    items_succeeded  INTEGER NOT NULL DEFAULT 0,
    items_failed     INTEGER NOT NULL DEFAULT 0,
    reported_percent REAL,
    custom_progress  TEXT,
    progress_at      INTEGER,
    last_error       TEXT,
    last_error_stack TEXT,
    result           TEXT,
    timeout_ms       INTEGER,
    trace_parent     TEXT
);

-- Index policy: every index costs each insert and state change a B-tree write, and inserts,
-- fetches and finishes are the hot path. So most indexes cover only the rows their queries need:
-- runnable rows, leased rows, delayed rows, finished rows (finished_at IS NOT NULL, i.e. states
-- 4, 5, 6) or failed rows. Queries that want a partial index repeat its WHERE term verbatim, so
-- SQLite can prove the index applies.

-- The fetch walks this in hand-out order. state is carried so per-queue waiting/delayed counts
-- are index-only too.
CREATE INDEX ix_jobs_fetch ON jobs (queue, priority DESC, run_at, id, state) WHERE state IN (1, 2);

-- The rescuer (by expiry); queue is carried for per-queue active counts.
CREATE INDEX ix_jobs_lease ON jobs (lease_until, queue) WHERE state = 3;

-- Promotion of due delayed jobs across all queues.
CREATE INDEX ix_jobs_delayed ON jobs (run_at) WHERE state = 2;

-- Latest job per name (loose index scan) and listing by name, newest first.
CREATE INDEX ix_jobs_name_id ON jobs (name, id);

-- Listing by creation time (From / To).
CREATE INDEX ix_jobs_created ON jobs (created_at);

-- "Recently finished" listings, newest first, without sorting. Completed jobs, the bulk of
-- history, are listed through this or the rowid; the rarer end states have their own indexes.
CREATE INDEX ix_jobs_finished ON jobs (finished_at, id) WHERE finished_at IS NOT NULL;

-- The dead-letter queue: in "recently finished" order, covering its aggregates and bulk retry's
-- filters; costs nothing until a job fails.
CREATE INDEX ix_jobs_failed ON jobs (finished_at, id, queue, name, status_code, is_external) WHERE state = 5;

-- Cancelled jobs, for listing them without walking all history; costs nothing until a cancel.
CREATE INDEX ix_jobs_cancelled ON jobs (finished_at) WHERE state = 6;

-- Finished jobs per queue and state, kept by triggers, so queue statistics never count millions of
-- finished rows. last_finished_at is the latest finish ever recorded there (it survives deletes).
-- Unfinished jobs are not counted here: their partial indexes are small and count fast.
CREATE TABLE queue_finished_counts (
    queue            TEXT    NOT NULL,
    state            INTEGER NOT NULL,
    count            INTEGER NOT NULL,
    last_finished_at INTEGER,
    PRIMARY KEY (queue, state)
) WITHOUT ROWID;

-- One trigger per direction, each with one statement, so the common transitions (a fetch, a
-- completion) run at most one small upsert; a trigger's WHEN costs next to nothing when false.
CREATE TRIGGER tr_jobs_finished_enter AFTER UPDATE OF state ON jobs
WHEN new.state >= 4 AND old.state <> new.state
BEGIN
    INSERT INTO queue_finished_counts (queue, state, count, last_finished_at)
    VALUES (new.queue, new.state, 1, new.finished_at)
    ON CONFLICT (queue, state) DO UPDATE
        SET count = count + 1,
            last_finished_at = CASE
                WHEN excluded.last_finished_at IS NULL OR last_finished_at >= excluded.last_finished_at THEN last_finished_at
                ELSE excluded.last_finished_at END;
END;

CREATE TRIGGER tr_jobs_finished_leave AFTER UPDATE OF state ON jobs
WHEN old.state >= 4 AND old.state <> new.state
BEGIN
    UPDATE queue_finished_counts SET count = count - 1 WHERE queue = old.queue AND state = old.state;
END;

-- Jobs are inserted waiting, delayed or active; this keeps the counts right should one ever be
-- inserted finished.
CREATE TRIGGER tr_jobs_finished_insert AFTER INSERT ON jobs
WHEN new.state >= 4
BEGIN
    INSERT INTO queue_finished_counts (queue, state, count, last_finished_at)
    VALUES (new.queue, new.state, 1, new.finished_at)
    ON CONFLICT (queue, state) DO UPDATE
        SET count = count + 1,
            last_finished_at = CASE
                WHEN excluded.last_finished_at IS NULL OR last_finished_at >= excluded.last_finished_at THEN last_finished_at
                ELSE excluded.last_finished_at END;
END;

CREATE TRIGGER tr_jobs_finished_delete AFTER DELETE ON jobs
WHEN old.state >= 4
BEGIN
    UPDATE queue_finished_counts SET count = count - 1 WHERE queue = old.queue AND state = old.state;
END;

-- id is the rowid, so it grows with every event and a job's timeline is one index range read in
-- order. No AUTOINCREMENT: a reused id could only follow a deleted newest row, so order still holds.
CREATE TABLE job_timeline (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    status_code INTEGER,
    worker_id   TEXT,
    message     TEXT
);

CREATE INDEX ix_job_timeline_job ON job_timeline (job_id);

-- A queue gets a row only once it is paused or resumed; queues otherwise exist by having jobs.
CREATE TABLE queues (
    name       TEXT    PRIMARY KEY,
    paused     INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE leaders (
    name       TEXT    PRIMARY KEY,
    node_id    TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
