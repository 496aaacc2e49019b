INSERT INTO audit_log (at, actor, action, target, details, outcome)
VALUES (@at, @actor, @action, @target, @details, @outcome)
RETURNING id;
