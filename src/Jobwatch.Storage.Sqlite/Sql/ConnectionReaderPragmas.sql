-- query_only: a reader connection can never write by mistake, so every write goes through the
-- serialised writer and its BEGIN IMMEDIATE. mmap: large scans read pages without copying them.
PRAGMA query_only = ON;
PRAGMA temp_store = MEMORY;
PRAGMA mmap_size = 268435456;
