-- A loose index scan: the recursive CTE hops from one distinct name to the next through
-- ix_jobs_name_id (one seek per name), and max(id) per name is the end of that name's range.
-- Cost grows with the number of names, not the number of jobs.
WITH RECURSIVE names (name) AS (
    SELECT (SELECT name FROM jobs ORDER BY name LIMIT 1)
    UNION ALL
    SELECT (SELECT j.name FROM jobs AS j WHERE j.name > names.name ORDER BY j.name LIMIT 1)
    FROM names
    WHERE names.name IS NOT NULL
)
SELECT jobs.*
FROM names
JOIN jobs ON jobs.id = (SELECT max(m.id) FROM jobs AS m WHERE m.name = names.name)
WHERE names.name IS NOT NULL
ORDER BY names.name;
