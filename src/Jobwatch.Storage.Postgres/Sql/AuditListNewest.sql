-- The filters marker below receives the set fragments of AuditListFilters.sql: with only the set
-- filters present, even a generic plan can scan ix_audit_log_actor, _action or _target (see
-- JobListQuery for why an "is null or equal" term could not).
SELECT id, at, actor, action, target, details, outcome
FROM audit_log
WHERE true
/*filters*/
ORDER BY id DESC
LIMIT @limit;
