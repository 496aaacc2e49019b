-- The filters marker below receives the set fragments of AuditListFilters.sql: with only the set
-- filters present, SQLite can walk ix_audit_log_actor, _action or _target (see JobListQuery for why a
-- "(@p IS NULL OR col = @p)" term could not).
SELECT id, at, actor, action, target, details, outcome
FROM audit_log
WHERE 1 = 1
/*filters*/
ORDER BY id DESC
LIMIT @limit;
