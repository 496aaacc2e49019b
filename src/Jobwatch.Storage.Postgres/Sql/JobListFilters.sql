-- The only fragments JobListAsync may add to a JobList*.sql query, one per line as
-- "key: fragment". Every value is a parameter; nothing from the caller is ever spliced in.
queue: AND queue = @queue
name: AND name = @name
states: AND state = ANY (@states)
status_code: AND status_code = @status_code
source: AND (created_by = @source OR updated_by = @source)
from: AND created_at >= @from
to: AND created_at < @to
finished_from: AND finished_at >= @finished_from
finished_to: AND finished_at < @finished_to
-- An ASCII text is matched under the "C" collation: ILIKE then folds ASCII letters only, byte by byte,
-- about 3x faster than the database locale's folding (a rare text is looked for in every job, newest
-- first, until a page is full), and with an ASCII pattern the result is the same. Any other text
-- keeps the locale's full case folding. (SQLite's LIKE draws the same line.)
text: AND (payload COLLATE "C" ILIKE @text OR metadata COLLATE "C" ILIKE @text OR last_error COLLATE "C" ILIKE @text)
text_unicode: AND (payload ILIKE @text OR metadata ILIKE @text OR last_error ILIKE @text)
external: AND is_external = @external
after_newest: AND id < @after_id
after_finished: AND (finished_at, id) < (COALESCE(@after_finished_at, (SELECT c.finished_at FROM jobs AS c WHERE c.id = @after_id)), @after_id)
-- Hints, added with "states" when every requested state falls in one group. They are true of every
-- matching row anyway, but let the planner prove that the partial index of that group applies.
states_finished: AND finished_at IS NOT NULL
states_runnable: AND state IN (1, 2)
states_active: AND state = 3
-- Only failed jobs: lets a generic plan use the failed-only indexes (ix_jobs_failed_newest for the
-- newest order, ix_jobs_failed for recently finished), whose walk stops at the limit however rare
-- failures are among all jobs.
states_failed: AND state = 5
