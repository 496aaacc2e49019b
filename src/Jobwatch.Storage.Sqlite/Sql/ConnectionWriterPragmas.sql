-- WAL: readers never block the writer or each other. NORMAL: in WAL a commit is not fsynced (a
-- power cut may lose the last commits, never corrupt the file), which is what makes per-job commits
-- cheap. The journal mode is stored in the file; the others are per connection.
-- The page cache stays at SQLite's default on purpose: at each WAL commit SQLite walks the cache's
-- hash table, so a large cache made every commit measurably slower; mmap serves the reads instead.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA mmap_size = 268435456;
-- Checkpoint every 10,000 WAL pages (~40 MB) instead of SQLite's 1,000. A checkpoint runs inside a
-- commit of the one writer and fsyncs the WAL and the database (~5–10 ms here), stalling every write
-- behind it; at 200 jobs/s the default made one every ~0.3 s, so several percent of jobs waited on one
-- (the latency p99). The pages copied per job barely change; the fsyncs become ten times rarer. A
-- checkpoint on a background connection cannot replace this: the WAL restarts only after a checkpoint
-- that no write overlapped, so under steady writes it would grow without bound.
PRAGMA wal_autocheckpoint = 10000;
