#!/usr/bin/env bash
# Installs everything the tests need and runs every suite: type check, lint, unit/integration tests (on SQLite, and on
# PostgreSQL when one answers on 127.0.0.1:5432) and the browser journeys in headless Chromium.
# Ends with one line "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CI=true

yarn install --immutable || { echo "yarn install failed"; echo "0 passed, 1 failed"; exit 1; }

if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432
fi
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "Store tests run on SQLite and PostgreSQL 15"
else
  echo "No PostgreSQL on 127.0.0.1:5432: store tests run on SQLite only"
fi

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

passed=0
failed=0
logdir=$(mktemp -d)

# One check: runs a command quietly, counts it, and prints its output only when it fails.
check() {
  local name=$1; shift
  if "$@" > "$logdir/check.log" 2>&1; then
    passed=$((passed + 1)); echo "$name passed"
  else
    failed=$((failed + 1)); cat "$logdir/check.log"; echo "$name FAILED"
  fi
}

echo "== Type check"
# Also writes the declarations (dist-types/) that the API reports below are made from.
rm -rf dist-types
check "type check" yarn tsc

echo "== Formatting"
check "prettier" yarn prettier --check .

echo "== OpenAPI specs and the routers generated from them"
check "generated routers current" node scripts/openapi-generate.mjs --check plugins/*-backend
check "specs valid and equal to the generated routers" env NODE_OPTIONS="--require $PWD/node_modules/@backstage/cli/config/nodeTransform.cjs" yarn backstage-repo-tools repo schema openapi validate

echo "== API reports"
# Every package's public API is in its report*.api.md; a change to it must come with the updated report.
check "API reports current" yarn backstage-repo-tools api-reports --ci -o ae-undocumented,ae-wrong-input-file-type

echo "== Lint"
if yarn backstage-cli repo lint > "$logdir/lint.log" 2>&1; then
  passed=$((passed + 1)); echo "lint passed"
else
  failed=$((failed + 1)); cat "$logdir/lint.log"; echo "lint FAILED"
fi

echo "== Unit and integration tests"
yarn backstage-cli repo test --ci 2>&1 | tee "$logdir/jest.log"
jest_rc=${PIPESTATUS[0]}
summary=$(grep -E '^Tests:' "$logdir/jest.log" | tail -1)
jp=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
jf=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
passed=$((passed + ${jp:-0})); failed=$((failed + ${jf:-0}))
if [ "$jest_rc" != 0 ] && [ "${jf:-0}" = 0 ]; then failed=$((failed + 1)); echo "jest exited with $jest_rc"; fi

echo "== Replicas: two portal backends on one PostgreSQL"
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  ./scripts/replicas-test.sh 2>&1 | tee "$logdir/replicas.log"
  replicas_rc=${PIPESTATUS[0]}
  rp=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logdir/replicas.log" | tail -1 | grep -oE '^[0-9]+')
  rf=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logdir/replicas.log" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  passed=$((passed + ${rp:-0})); failed=$((failed + ${rf:-0}))
  if [ "$replicas_rc" != 0 ] && [ "${rf:-0}" = 0 ]; then failed=$((failed + 1)); echo "replicas test exited with $replicas_rc"; fi
else
  echo "No PostgreSQL: the replica scenarios are skipped"
fi

echo "== Browser journeys"
# One portal for all journeys, and one journey file at a time: they share the portal's state.
node e2e/serve.mjs > "$logdir/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 1 400); do
  grep -q '^ready' "$logdir/portal.log" 2>/dev/null && break
  kill -0 "$portal_pid" 2>/dev/null || break
  sleep 1
done
grep -q '^ready' "$logdir/portal.log" || { echo "the portal did not start:"; tail -50 "$logdir/portal.log"; }
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout e2e/ 2>&1 | tee "$logdir/e2e.log"
e2e_rc=${PIPESTATUS[0]}
kill "$portal_pid" 2>/dev/null; wait "$portal_pid" 2>/dev/null
ep=$(grep -E '^ℹ pass [0-9]+' "$logdir/e2e.log" | grep -oE '[0-9]+' | tail -1)
ef=$(grep -E '^ℹ fail [0-9]+' "$logdir/e2e.log" | grep -oE '[0-9]+' | tail -1)
passed=$((passed + ${ep:-0})); failed=$((failed + ${ef:-0}))
if [ "$e2e_rc" != 0 ] && [ "${ef:-0}" = 0 ]; then failed=$((failed + 1)); echo "browser tests exited with $e2e_rc"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
