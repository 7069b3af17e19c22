#!/usr/bin/env bash
# Crash test of the store: ingest a directory, kill -9 the ingest at random moments N times,
# then let a final run finish. The article count must equal a clean run's, and
# `warta check` must report the store sound.
#
#   scripts/crash-test.sh PAGES_DIR [KILLS=20] [WARTA=target/release/warta]
set -euo pipefail
pages=${1:?give a directory of pages (e.g. from scripts/make-ingest-corpus.py)}
kills=${2:-20}
warta=${3:-target/release/warta}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "reference run…"
"$warta" ingest -q --data "$work/clean" "$pages" 2>"$work/clean.log"
"$warta" check --data "$work/clean" >"$work/want.txt"
want=$(head -1 "$work/want.txt")

for i in $(seq 1 "$kills"); do
  "$warta" ingest -q --data "$work/crashed" "$pages" 2>/dev/null &
  pid=$!
  # Die somewhere between 0.2 s and 3 s into the run.
  sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 2.8 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ! "$warta" check --data "$work/crashed" >"$work/check.txt"; then
    echo "kill $i: the store does not check clean after kill -9:"; cat "$work/check.txt"; exit 1
  fi
done
echo "final run…"
"$warta" ingest -q --data "$work/crashed" "$pages" 2>"$work/final.log"
"$warta" check --data "$work/crashed" >"$work/got.txt" || true
got=$(head -1 "$work/got.txt")
tail -1 "$work/got.txt"
echo "clean run:   $want"
echo "after $kills kills: $got"
if [ "$want" != "$got" ]; then
  echo "FAIL: the counts differ"; exit 1
fi
echo "PASS: same counts, store sound after $kills kill -9"
