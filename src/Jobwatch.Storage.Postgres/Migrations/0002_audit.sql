-- The operator audit trail: who did what to which target, when, and how it ended.
-- Applied once, inside the migrator's transaction and under its advisory lock; names are
-- unqualified (the connection's search_path is the store's schema). details is JSON as text, like
-- the jobs' JSON fields, so both backends keep exactly what they were given.

-- Listing is newest first by id. Ids come from a sequence, so on several nodes an entry may commit
-- a moment after one with a higher id: a page read in that moment can miss it (a reload shows it).
CREATE TABLE audit_log (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    action  text        NOT NULL,
    target  text,
    details text,
    outcome text        NOT NULL
);

-- Filtered listings scan one of these backwards (id is the tiebreak, so no sort), stopping at the limit.
CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_target ON audit_log (target, id) WHERE target IS NOT NULL;

-- Since / Until: a time window far back in a long trail.
CREATE INDEX ix_audit_log_at ON audit_log (at);
