#!/usr/bin/env bash
# The whole test command (`npm test`): provision the machine, run the static checks, build the
# web client, then every unit and integration test in one mocha run.
#
# A failing static check (types, lint, circular imports, web build) does not hide the test
# results: every step runs, and each failed step counts as one failure in the closing line
#   N passed, N failed
# where "passed" counts mocha tests. The exit status is non-zero when anything failed or when
# no test ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/provision.sh

failed_steps=()
step() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  if ! "$@"; then
    echo "=== $name FAILED"
    failed_steps+=("$name")
  fi
}

step typecheck npm run --silent typecheck
step lint npm run --silent lint
step circular npm run --silent circular
step build-web node scripts/build-web.mjs

# Unit tests sit beside their source; integration tests live in test/.
shopt -s globstar nullglob
test_files=(
  server/src/**/*.test.ts
  protocol/**/*.test.ts
  federation/src/**/*.test.ts
  clients/**/*.test.ts
  test/**/*.test.ts
)
shopt -u globstar nullglob

passed=0
failed=0
mkdir -p .test-artifacts
log=.test-artifacts/mocha.log
if [ ${#test_files[@]} -eq 0 ]; then
  echo "no test files found"
else
  echo
  echo "=== mocha: ${#test_files[@]} test files"
  set +e
  node_modules/.bin/mocha --reporter spec "${test_files[@]}" 2>&1 | tee "$log"
  mocha_status=${PIPESTATUS[0]}
  set -e
  # The spec reporter closes with "  N passing (Ts)", "  N pending" and "  N failing".
  summary=$(sed -e 's/\x1b\[[0-9;]*m//g' "$log")
  passed=$(grep -Eo '^ *[0-9]+ passing' <<<"$summary" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
  failed=$(grep -Eo '^ *[0-9]+ failing' <<<"$summary" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
  if [ "$mocha_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # Mocha stopped before its summary (a test file that does not load, say).
    echo "mocha exited with status $mocha_status without reporting a failing test: counted as 1 failure"
    failed=1
  fi
fi

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps (one failure each): ${failed_steps[*]}"
  failed=$((failed + ${#failed_steps[@]}))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
