#!/usr/bin/env bash
# Two real portal backends on one PostgreSQL (PostgreSQL must answer; see scripts/replicas/run.mjs): start-up on an
# empty and on a half-migrated database, kill -9 mid-write, scheduled work once across replicas, rolling restart
# under load. Prints each figure and ends with "N passed, N failed"; exits non-zero when anything failed.
# The PostgreSQL server: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, else postgresql://postgres@127.0.0.1:5432.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

export VITALS_REPLICAS_LOG_DIR="${VITALS_REPLICAS_LOG_DIR:-$(mktemp -d)}"
# If this script is stopped, stop every backend it started too (each runs in a process group of its own).
cleanup() {
  if [ -f "$VITALS_REPLICAS_LOG_DIR/pgids" ]; then
    while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null; done < "$VITALS_REPLICAS_LOG_DIR/pgids"
  fi
}
trap 'cleanup; exit 130' INT TERM

if ! node -e "import('./scripts/replicas/lib.mjs').then(async l => process.exit((await l.postgresAnswers()) ? 0 : 1))"; then
  echo "PostgreSQL does not answer: the replica scenarios need it"
  echo "0 passed, 1 failed"
  exit 1
fi
node scripts/replicas/run.mjs
