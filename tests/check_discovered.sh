#!/usr/bin/env bash
# Every doctest case must be a ctest test of its own. doctest_discover_tests splits a name at ';'
# into tests that match nothing and "pass": count both sides and compare.
# Usage: check_discovered.sh TEST_BINARY BUILD_DIR
set -euo pipefail
cases=$("$1" --count | sed -n 's/.*passing the current filters: \([0-9]*\).*/\1/p')
tests=$(ctest --test-dir "$2" -N -L '^doctest$' | sed -n 's/^Total Tests: \([0-9]*\)$/\1/p')
if [ "$cases" != "$tests" ]; then
  echo "doctest has $cases test cases but ctest runs $tests: a name with ';' was split?" >&2
  "$1" --list-test-cases | grep ';' >&2 || true
  exit 1
fi
echo "$cases doctest cases, $tests ctest tests"
