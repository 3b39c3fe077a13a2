#!/usr/bin/env bash
# Installs dependencies and starts the Vitals portal: frontend on :3000, backend on :7007, in-memory SQLite,
# the example catalog and demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
yarn install --immutable
exec yarn start
