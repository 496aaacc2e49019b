-- Insert, take over an expired leadership, or renew our own, in one atomic statement. RETURNING
-- yields a row only when the row was written, i.e. exactly when this node holds the leadership.
-- Expiry is judged by the caller's clock (@now), see PostgresJobStore.LeaderAttemptElectAsync.
INSERT INTO leaders (name, node_id, expires_at)
VALUES (@name, @node_id, @expires_at)
ON CONFLICT (name) DO UPDATE
    SET node_id = excluded.node_id,
        expires_at = excluded.expires_at
    WHERE leaders.expires_at < @now
       OR leaders.node_id = excluded.node_id
RETURNING node_id;
