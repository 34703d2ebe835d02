#!/usr/bin/env bash
# The long chaos run: over 5,000 jobs (4 models × 180 cases, 3 samples, judges
# and MCQA) against a faulty mock provider, with workers killed, coordinators
# and PostgreSQL restarted; then the fault-free run it must equal. Then the
# batch-mode chaos run at the same size: workers killed again and again while
# batches are built, submitted, polled and collected.
# CI runs the short forms as part of `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
SIUO_CHAOS_CASES="${SIUO_CHAOS_CASES:-180}" swift test --skip-build --filter ChaosTests
SIUO_CHAOS_CASES="${SIUO_CHAOS_CASES:-180}" swift test --skip-build --filter "BatchSweepTests/killedWorkers"
