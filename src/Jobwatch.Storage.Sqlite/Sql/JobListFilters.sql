-- The only fragments JobListAsync may add to a JobList*.sql query, one per line as
-- "key: fragment". Every value is a parameter; nothing from the caller is ever spliced in.
queue: AND queue = @queue
-- The same beside active, failed or cancelled: "+" keeps SQLite on that state's small index (which
-- carries queue for active and failed) instead of walking every job of the queue in ix_jobs_queue_id.
queue_rare: AND +queue = @queue
name: AND name = @name
status_code: AND status_code = @status_code
source: AND (created_by = @source OR updated_by = @source)
from: AND created_at >= @from
to: AND created_at < @to
finished_from: AND finished_at >= @finished_from
finished_to: AND finished_at < @finished_to
-- LIKE folds ASCII case only, so a text with other letters goes through jobwatch_contains, a .NET
-- function on the reader connections (slower: every value crosses into .NET).
text: AND (payload LIKE @text ESCAPE '\' OR metadata LIKE @text ESCAPE '\' OR last_error LIKE @text ESCAPE '\')
text_unicode: AND (jobwatch_contains(payload, @text) OR jobwatch_contains(metadata, @text) OR jobwatch_contains(last_error, @text))
external: AND is_external = @external
after_newest: AND id < @after_id
-- The same cursor beside active or cancelled: "+" stops SQLite from preferring a walk down the ids
-- (it would test every older job) over reading that state's small index. Failed jobs need no "+":
-- ix_jobs_failed_newest is keyed by id, so the cursor is a range in it.
after_newest_rare: AND +id < @after_id
-- Every "recently finished" list has this, unless a failed or cancelled filter already implies it
-- (then that state's own index serves the order, instead of walking all finished jobs).
finished: AND finished_at IS NOT NULL
after_finished: AND (finished_at, id) < (coalesce(@after_finished_at, (SELECT c.finished_at FROM jobs AS c WHERE c.id = @after_id)), @after_id)
-- States. Active, failed and cancelled jobs are few next to completed ones and each have a partial
-- index: "rare" (likelihood) makes SQLite read just that index, instead of walking every job newest
-- first in search of them. Failed jobs can be tens of thousands, so theirs (ix_jobs_failed_newest for
-- the newest order, ix_jobs_failed for recently finished) is in the list's order: no sort, and a page
-- stops at the limit. Completed, waiting and delayed jobs are many, or the
-- newest: there the unary "+" keeps SQLite walking the list's order (ids, ix_jobs_finished) and
-- testing the state per row, so it stops at the limit instead of sorting a whole state.
state_active: AND likelihood(state = 3, 0.0001)
state_failed: AND likelihood(state = 5, 0.0001)
state_cancelled: AND likelihood(state = 6, 0.0001)
state_scan: AND +state = @state
states: AND +state IN (SELECT value FROM json_each(@states))
