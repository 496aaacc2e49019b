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
