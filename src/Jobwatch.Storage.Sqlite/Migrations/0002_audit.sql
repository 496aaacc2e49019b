-- The operator audit trail: who did what to which target, when, and how it ended.
-- Applied once, inside the migrator's BEGIN IMMEDIATE transaction; times are unix epoch microseconds.

-- AUTOINCREMENT: ids are never reused, so a client's "before" cursor always means the same place.
-- Listing is newest first by id (the rowid), so the unfiltered list needs no index of its own.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT,
    details TEXT,
    outcome TEXT    NOT NULL
);

-- Filtered listings walk one of these backwards (id is the tiebreak, so no sort), stopping at the limit.
CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_target ON audit_log (target, id) WHERE target IS NOT NULL;

-- Since / Until: a time window far back in a long trail.
CREATE INDEX ix_audit_log_at ON audit_log (at);
