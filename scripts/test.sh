#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit + API tests on the embedded database, the same API
# suite on PostgreSQL when DATABASE_URL is set, then the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint

step "unit and API tests on embedded PostgreSQL (PGlite)"
TEST_DB=pglite npx vitest run

if [ -n "${DATABASE_URL:-}" ]; then
  step "API tests on PostgreSQL ($(echo "$DATABASE_URL" | sed -E 's#//[^@]*@#//#'))"
  TEST_DB=postgres npx vitest run
else
  echo "DATABASE_URL is not set: the PostgreSQL run of the API suite is skipped (.ci/run sets it)."
fi

step "browser tests (Chromium)"
bash scripts/ensure-chromium.sh
npm run --silent build
npx vitest run --config e2e/vitest.config.ts
