SELECT *
FROM jobs
WHERE state = 3
  AND lease_until < @now
ORDER BY lease_until, id
LIMIT @limit;
