-- The only fragments AuditListAsync may add to AuditListNewest.sql, one per line as
-- "key: fragment". Every value is a parameter; nothing from the caller is ever spliced in.
actor: AND actor = @actor
action: AND action = @action
target: AND target = @target
since: AND at >= @since
until: AND at < @until
before: AND id < @before_id
