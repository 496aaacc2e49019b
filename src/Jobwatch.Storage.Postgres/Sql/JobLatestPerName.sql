-- A loose index scan: the recursive CTE hops from one distinct name to the next through
-- ix_jobs_name_id (one seek per name), and the lateral lookup reads the end of that name's range.
-- Cost grows with the number of names, not the number of jobs.
WITH RECURSIVE names (name) AS (
    (SELECT name FROM jobs ORDER BY name LIMIT 1)
    UNION ALL
    SELECT (SELECT j.name FROM jobs AS j WHERE j.name > n.name ORDER BY j.name LIMIT 1)
    FROM names AS n
    WHERE n.name IS NOT NULL
)
SELECT latest.*
FROM names AS n
CROSS JOIN LATERAL (SELECT * FROM jobs AS j WHERE j.name = n.name ORDER BY j.id DESC LIMIT 1) AS latest
WHERE n.name IS NOT NULL
ORDER BY n.name;
