#!/usr/bin/env bash
# Soak run of the fault suite: every row with its soak sizes (1,000+ convergence seeds, 500 kill -9
# trials, 1,000,000 hostile frames, a 30 s blackout, 10 callout rounds). Takes about an hour on 2 cores.
# Pass a row's file name to soak just that row, e.g. `test/faults/soak.sh kill9`.
# The figures of each row are printed as `[faults] row N …` lines and kept in the log file.
set -euo pipefail
cd "$(dirname "$0")/../.."
log="${SOAK_LOG:-soak-$(date +%Y%m%d-%H%M%S).log}"
REDSTRING_SOAK=1 pnpm exec vitest run --project test "faults/${1:-}" 2>&1 | tee "$log"
echo
echo "figures:"
grep -a '\[faults\]' "$log" || true
