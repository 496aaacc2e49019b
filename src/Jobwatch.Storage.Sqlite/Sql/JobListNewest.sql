-- The filters marker below receives the set fragments of JobListFilters.sql (see JobListQuery for
-- why). Ids are chosen first, so that when an index covers the filters (a state's partial index,
-- say) the choosing and any sort read only that index; then just the page's rows are read.
SELECT *
FROM jobs
WHERE id IN (
    SELECT id
    FROM jobs
    WHERE 1 = 1
    /*filters*/
    ORDER BY id DESC
    LIMIT @limit)
ORDER BY id DESC;
