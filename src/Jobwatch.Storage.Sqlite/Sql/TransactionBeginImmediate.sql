-- IMMEDIATE takes the write lock up front. A deferred transaction that reads first and writes later
-- must upgrade its lock, and two processes upgrading at once deadlock (one gets SQLITE_BUSY at once,
-- without waiting for busy_timeout).
BEGIN IMMEDIATE;
