# Installs and starts what the test suites need. Sourced by scripts/test.sh.
# Every outside program a suite uses is installed and started here, so a fresh machine gets it from one place.

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin_dir() {
  local initdb
  initdb="$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] && dirname "$(readlink -f "$initdb")"
}

ensure_test_dependencies() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (SDK 10) is required but not on PATH." >&2
    exit 1
  fi
  # SQLite needs nothing: Microsoft.Data.Sqlite ships its own native library.
  if [ -z "$(pg_bin_dir)" ]; then
    echo "== installing PostgreSQL server binaries"
    apt_install postgresql
  fi
  # The observability tests lint and unit-test the shipped rules with promtool and scrape a live server
  # with a real Prometheus; Debian's package brings both.
  if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
    echo "== installing Prometheus (prometheus, promtool)"
    apt_install prometheus
  fi
  # The same tests read the shipped YAML (compose, Grafana provisioning, rule tests) with PyYAML.
  if ! python3 -c 'import yaml' >/dev/null 2>&1; then
    echo "== installing python3-yaml"
    apt_install python3 python3-yaml
  fi
}

# A throwaway PostgreSQL cluster owned by this run: started on a free port, stopped by its data
# folder (never by name: other clusters may run on this machine).
PG_DIR=""
start_postgres() {
  local base="$1" bin port
  bin="$(pg_bin_dir)"
  PG_DIR="$base/pg"
  mkdir -p "$PG_DIR"
  chown -R postgres:postgres "$PG_DIR" 2>/dev/null || true
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  runuser -u postgres -- "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  # Test clusters trade durability for speed; the benchmarks use default durability instead.
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c max_connections=300" >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  export JOBWATCH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export JOBWATCH_TEST_PG_DATA="$PG_DIR/data" JOBWATCH_TEST_PG_BIN="$bin"
  echo "== PostgreSQL test cluster on port $port"
}

stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    runuser -u postgres -- "$(pg_bin_dir)/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

start_test_services() {
  start_postgres "$1" || { echo "Could not start the PostgreSQL test cluster." >&2; exit 1; }
}

stop_test_services() {
  stop_postgres
}
