-- The filters marker below receives the set fragments of JobListFilters.sql (see JobListQuery for why).
SELECT *
FROM jobs
WHERE true
/*filters*/
ORDER BY id DESC
LIMIT @limit;
