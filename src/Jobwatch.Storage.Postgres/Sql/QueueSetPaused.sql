-- Resuming wakes the queue's workers on every node.
WITH saved AS (
    INSERT INTO queues (name, paused, updated_at)
    VALUES (@name, @paused, @now)
    ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
    RETURNING name, paused
)
SELECT pg_notify(@channel, name) FROM saved WHERE NOT paused;
