#!/usr/bin/env bash
# Measures warta against its peers on the shared benchmark sets, in one run, back to back:
# trafilatura and readability-lxml on article extraction, htmldate on publication dates.
# Prints each tool's figures and warta's speed as a multiple of the peer's.
#
#   scripts/bench-peers.sh                 # uses ../shared, a venv in target/peers-venv
#   SHARED=/path/to/shared VENV=/path/to/venv scripts/bench-peers.sh
#
# Needs python3 and PyPI (the peers are pip-installed into the venv on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
VENV=${VENV:-target/peers-venv}
OUT=target/peers
EX=$SHARED/bench/extraction
DT=$SHARED/bench/dates
[ -d "$EX/dev" ] || { echo "no benchmark sets at $SHARED/bench: set SHARED=" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -U pip
  "$VENV/bin/pip" install -q 'trafilatura==2.3.1' readability-lxml html-text 'htmldate[all]==1.11'
fi
cargo build --release -q -p warta
W=./target/release/warta

echo "== article extraction on $EX/dev"
for peer in trafilatura readability; do
  "$VENV/bin/python" "$EX/peers.py" "$peer" "$EX/dev" "$OUT/$peer.jsonl" --repeat 3 >/dev/null
done
"$W" eval extraction "$EX/dev" --repeat 10 --predictions "$OUT/warta.jsonl" | tee "$OUT/warta-extraction.txt"
python3 "$EX/score.py" "$EX/dev/truth.jsonl" "$OUT/trafilatura.jsonl" "$OUT/readability.jsonl" "$OUT/warta.jsonl" --bootstrap 200
python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
w = open(f"{out}/warta-extraction.txt").read()
warta = float(re.search(r"speed (\d+) pages per CPU-second", w).group(1))
for peer in ("trafilatura", "readability"):
    meta = json.load(open(f"{out}/{peer}.meta.json"))
    p = meta.get("cpu_pages_per_s") or meta.get("pages_per_s")
    print(f"{peer}: {p:.1f} pages per CPU-second; warta {warta:.0f} = {warta / p:.1f}x")
PY

echo "== publication dates on $DT/dev"
"$VENV/bin/python" "$DT/run_peer.py" "$DT/dev" --mode extensive > "$OUT/htmldate.jsonl" 2>/dev/null
python3 "$DT/score.py" "$DT/dev/truth.jsonl" "$OUT/htmldate.jsonl" | tee "$OUT/htmldate.txt"
"$W" eval dates "$DT/dev" --repeat 10 --no-url | tee "$OUT/warta-dates.txt"
python3 - "$OUT" <<'PY'
import re, sys
out = sys.argv[1]
h = float(re.search(r"pages/s=([\d.]+)", open(f"{out}/htmldate.txt").read()).group(1))
w = float(re.search(r"speed (\d+) pages per CPU-second", open(f"{out}/warta-dates.txt").read()).group(1))
print(f"htmldate extensive: {h:.0f} pages/s; warta {w:.0f} = {w / h:.1f}x")
PY
