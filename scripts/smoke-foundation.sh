#!/usr/bin/env bash
# End-to-end check of the CLI on real parts, in an empty folder: the embedded
# cluster, dataset import (sample, and the real SIUO files when $SIUO_REAL_DATA,
# or a shared/siuo folder beside the repository, holds them: docs/operations.md,
# "Tests and the real SIUO files"), the no-op re-import, a failing import that writes nothing, and
# stop/start keeping the data. Cleans up after itself.
#
# usage: scripts/smoke-foundation.sh [path/to/siuo]   (default: .build/debug/siuo)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
siuo=$(realpath "${1:-$repo/.build/debug/siuo}")
work=$(mktemp -d)
cleanup() {
  cd "$work" && "$siuo" db stop >/dev/null 2>&1 || true
  if [ -f "$work/.siuo/postgres/LOCATION" ]; then rm -rf "$(cat "$work/.siuo/postgres/LOCATION")"; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

"$siuo" db start
"$siuo" db status | grep -q '^running' || fail "db status does not say running"
"$siuo" db start | grep -q 'already running' || fail "a second db start is not a no-op"

sample="$repo/examples/siuo-sample"
"$siuo" dataset import sample --gen "$sample/gen.json" --mcqa "$sample/mcqa.json" --images "$sample/images"
"$siuo" dataset import sample --gen "$sample/gen.json" --mcqa "$sample/mcqa.json" --images "$sample/images" \
  | grep -q 'nothing to do' || fail "re-import of identical data is not a no-op"

before=$("$siuo" dataset list --json)
mkdir broken && cp "$sample"/images/*.png broken/ && rm broken/S-01.png broken/P-01.png
status=0
out=$("$siuo" dataset import other --gen "$sample/gen.json" --images broken 2>&1) || status=$?
[ "$status" -eq 2 ] || fail "an import with missing images did not exit 2 (bad input): exit $status: $out"
echo "$out" | grep -q 'S-01.png' && echo "$out" | grep -q 'P-01.png' && echo "$out" | grep -q '^2 images are missing' \
  || fail "missing images not all named: $out"
[ "$("$siuo" dataset list --json)" = "$before" ] || fail "a failed import changed the database"

siuo_data="${SIUO_REAL_DATA:-$(dirname "$repo")/shared/siuo}"
if [ -f "$siuo_data/siuo_gen.json" ] && [ -f "$siuo_data/siuo_mcqa.json" ]; then
  python3 "$repo/scripts/make-test-images.py" "$siuo_data/siuo_gen.json" images --kb 300
  "$siuo" dataset import siuo --gen "$siuo_data/siuo_gen.json" --mcqa "$siuo_data/siuo_mcqa.json" --images images
  "$siuo" dataset import siuo --gen "$siuo_data/siuo_gen.json" --mcqa "$siuo_data/siuo_mcqa.json" --images images \
    | grep -q 'nothing to do' || fail "re-import of SIUO is not a no-op"
  "$siuo" dataset list --json | python3 -c '
import json, sys
rows = {row["name"]: row for row in json.load(sys.stdin)}
assert rows["siuo"]["cases"] == 167 and rows["siuo"]["categories"] == 9 and rows["siuo"]["images"] == 167, rows
' || fail "dataset list does not show 167 cases in 9 categories"
  before=$("$siuo" dataset list --json)
  mv images/S-07.png S-07.png.away
  if out=$("$siuo" dataset import siuo2 --gen "$siuo_data/siuo_gen.json" --images images 2>&1); then fail "import with S-07.png missing succeeded"; fi
  echo "$out" | grep -q 'S-07.png' || fail "the missing image is not named: $out"
  [ "$("$siuo" dataset list --json)" = "$before" ] || fail "the failed SIUO import changed the database"
else
  echo "smoke: no real SIUO files at $siuo_data; skipping the real-data import"
fi

listed=$("$siuo" dataset list)
"$siuo" db stop | grep -q 'stopped' || fail "db stop did not stop"
"$siuo" db status | grep -q '^stopped' || fail "db status does not say stopped"
"$siuo" db start
[ "$("$siuo" dataset list)" = "$listed" ] || fail "data did not survive stop/start"
"$siuo" dataset list
echo "smoke: ok"
