#!/usr/bin/env bash
# The one-by-one enqueue ceiling of a PostgreSQL server, measured with PostgreSQL's own pgbench
# (C, libpq, prepared statements, no .NET): alternating rounds of
#   trivial  a one-row INSERT into a two-column table, one durable commit: the most any sequential
#            caller can commit per second, whatever its language;
#   enqueue  the statement IJobStore sends for one EnqueueAsync (src/.../Sql/JobInsertOne.sql with
#            its parameters bound to literals) in a throwaway schema built from the embedded
#            migrations, so it pays for the same indexes, timeline row and NOTIFY.
# A caller that awaits each enqueue cannot beat "trivial"; on a shared disk it moves by 2x within
# minutes, so the two are alternated over the same minutes.
#
# usage: benchmarks/pgbench/commit-floor.sh "postgres://postgres@127.0.0.1:55433/postgres" [rounds] [seconds]
set -euo pipefail

url="${1:?usage: $0 <libpq URL, e.g. postgres://postgres@127.0.0.1:55433/postgres> [rounds=4] [seconds=3]}"
rounds="${2:-4}"
seconds="${3:-3}"
for tool in pgbench psql; do
  command -v "$tool" >/dev/null || { echo "$tool not found: install postgresql-client (apt-get install postgresql-client)." >&2; exit 2; }
done
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ ]] \
  || { echo "rounds and seconds must be positive integers (got '$rounds' '$seconds')." >&2; exit 2; }

root="$(cd "$(dirname "$0")/../.." && pwd)"
schema="jobwatch_floor_$$"
work="$(mktemp -d)"
cleanup() {
  psql "$url" -qAtX -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$url" -qAtX -v ON_ERROR_STOP=1 -c "CREATE SCHEMA $schema" \
  -c "CREATE TABLE $schema.floor (id bigserial PRIMARY KEY, v text)" >/dev/null
for migration in "$root"/src/Jobwatch.Storage.Postgres/Migrations/*.sql; do
  PGOPTIONS="-c search_path=$schema" psql "$url" -qAtX -v ON_ERROR_STOP=1 -1 -f "$migration" >/dev/null
done

echo "INSERT INTO floor (v) VALUES ('x');" > "$work/trivial.sql"
# pgbench reads one statement per line: bind the parameters, then join the lines.
sed -e "s/@queue/'floor'/; s/@name/'floor.noop'/; s/@type/'Noop'/; s/@created_by/'pgbench'/" \
    -e "s/@payload/'{\"i\":1}'/; s/@metadata/NULL/; s/@priority/0/; s/@max_attempts/3/" \
    -e "s/@run_at/now()/g; s/@now/now()/g; s/@timeout_ms/NULL/; s/@trace_parent/NULL/; s/@channel/'${schema}_jobs'/" \
    -e 's/--.*$//' "$root/src/Jobwatch.Storage.Postgres/Sql/JobInsertOne.sql" | tr '\n' ' ' > "$work/enqueue.sql"
echo >> "$work/enqueue.sql"
if grep -q '@' "$work/enqueue.sql"; then
  echo "JobInsertOne.sql has a parameter this script does not bind: $(grep -o '@[a-z_]*' "$work/enqueue.sql" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi

tps() {
  PGOPTIONS="-c search_path=$schema" pgbench "$url" -n -M prepared -T "$seconds" -f "$1" 2>&1 \
    | sed -n 's/^tps = \([0-9]*\).*/\1/p'
}
trivial=() enqueue=()
for ((r = 1; r <= rounds; r++)); do
  t="$(tps "$work/trivial.sql")"; e="$(tps "$work/enqueue.sql")"
  trivial+=("$t"); enqueue+=("$e")
  printf 'round %d: trivial %s tx/s, enqueue %s tx/s (%s)\n' "$r" "$t" "$e" "$(awk -v a="$e" -v b="$t" 'BEGIN { printf "%.2f", a / b }')"
done
# A statement that failed would make pgbench abort with tps 0; show that rows and events were written.
counts="$(psql "$url" -qAtX -c "SELECT (SELECT count(*) FROM $schema.jobs) || ' jobs, ' || (SELECT count(*) FROM $schema.job_timeline) || ' timeline rows written by the enqueue rounds'")"
echo "$counts"
range() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd- | sed 's/-/–/'; }
echo "trivial $(range "${trivial[@]}") tx/s, enqueue $(range "${enqueue[@]}") tx/s over $rounds rounds of ${seconds} s"
