#!/usr/bin/env bash
# Usage records ingested into PostgreSQL from two instances at once (issue 26:
# target >= 50 000 records/s, batched): the SharedUsageLog of two usage stores
# on one throwaway cluster (tests/support/pg_cluster), release build. Prints
# records/s; run on an idle machine. Needs scripts/install-deps (postgresql).
#   bench/shared-store-bench.sh [records per instance, default 200000]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-200000}"
cmake --preset release >/dev/null
cmake --build build/release --target cpa_postgres_tests -j "$(nproc)" >/dev/null
CPA_BENCH_USAGE_RECORDS="$records" build/release/bin/cpa_postgres_tests \
  --gtest_filter=SharedUsageLog.IngestFromTwoInstancesAtOnce | grep -E "records/s|OK|FAILED"
