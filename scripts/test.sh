#!/usr/bin/env bash
# The one test command: installs what the tests need, builds once, runs every test project,
# and ends with a single line "N passed, N failed, N skipped" with the real totals.
# CI (.ci/run) calls exactly this.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=scripts/lib/deps.sh
source "$root/scripts/lib/deps.sh"
ensure_test_dependencies

work="$(mktemp -d /tmp/jobwatch-test.XXXXXX)"
chmod 755 "$work"  # the PostgreSQL cluster runs as the postgres user
cleanup() { stop_test_services; rm -rf "$work"; }
trap cleanup EXIT
start_test_services "$work"

echo "== build"
if ! dotnet build Jobwatch.slnx -c Debug -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0
# Test projects run one after another: the machine has 2 cores and several suites start processes.
for proj in $(ls tests/*Tests/*.csproj | sort); do
  name="$(basename "$proj" .csproj)"
  echo "== $name"
  log="$work/$name.log"
  dotnet test "$proj" --no-build -c Debug -nologo --logger "console;verbosity=minimal" >"$log" 2>&1
  rc=$?
  summary="$(grep -E '^(Passed|Failed)!' "$log" | tail -n 1)"
  if [ -z "$summary" ]; then
    # No summary means the run itself broke (crash, build problem): show why and count it as a failure.
    tail -n 60 "$log"
    failed=$((failed + 1)); status=1
    continue
  fi
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  echo "   $summary"
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    # Each failure in full (message, screen dumps, stack), so a failure seen only in CI can be diagnosed from its log.
    grep -E -A40 '^\s+Failed [A-Za-z]' "$log" | head -n 200
    status=1
  fi
done

if [ "$passed" -eq 0 ]; then
  echo "No test ran."
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
