-- The filters marker below receives the set fragments of JobListFilters.sql (see JobListQuery for
-- why), always including one that restricts the list to finished jobs. Ids are chosen first, so
-- that when an index covers the filters and the order, only that index is read until the page's
-- rows are.
SELECT *
FROM jobs
WHERE id IN (
    SELECT id
    FROM jobs
    WHERE 1 = 1
    /*filters*/
    ORDER BY finished_at DESC, id DESC
    LIMIT @limit)
ORDER BY finished_at DESC, id DESC;
