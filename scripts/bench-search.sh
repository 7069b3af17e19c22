#!/usr/bin/env bash
# Search benchmark: a store of N synthetic articles (composed from the shared extraction
# sets' article bodies by `warta bench store`), `warta serve` on loopback, and wrk at 50
# concurrent connections over a rotation of queries against GET /api/search.
# Prints wrk's latency distribution and the server's peak RSS.
#
#   scripts/bench-search.sh [ARTICLES] [STORE_DIR]      (defaults: 100000 /tmp/warta-bench-100k)
#
# The rotation repeats 18 searches, as a dashboard does, so after the first round they
# come from the store's page cache. UNCACHED=1 instead sends two-word searches drawn
# at random from 120 news words (14,000 combinations, nearly all asked once), which
# measures the search itself.
#
# Needs wrk (apt-get install wrk) and ../shared. Builds with the `train` profile
# (optimised, no LTO) unless WARTA_BIN names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
DIR=${2:-/tmp/warta-bench-100k}
SHARED=${SHARED:-../shared}
PORT=${PORT:-8097}
DURATION=${DURATION:-30s}
if [ -z "${WARTA_BIN:-}" ]; then
  cargo build --profile train -p warta >/dev/null
  WARTA_BIN=target/train/warta
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
if [ ! -e "$DIR/warta.db" ]; then
  "$WARTA_BIN" bench store --data "$DIR" --articles "$N" \
    "$SHARED/bench/extraction/dev/truth.jsonl" "$SHARED/bench/extraction-id/dev/truth.jsonl"
fi
"$WARTA_BIN" serve --data "$DIR" --addr "127.0.0.1:$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
LUA=$(mktemp)
if [ -n "${UNCACHED:-}" ]; then
cat >"$LUA" <<'LUA'
local words = {
  "pemerintah", "presiden", "menteri", "harga", "pasar", "ekonomi", "indonesia", "jakarta",
  "korea", "utara", "selatan", "rusia", "china", "amerika", "perang", "rudal", "militer",
  "polisi", "pengadilan", "korupsi", "kpk", "pemilu", "partai", "dpr", "anggaran", "pajak",
  "bank", "saham", "rupiah", "inflasi", "banjir", "gempa", "cuaca", "sekolah", "rumah",
  "sakit", "jalan", "tol", "kereta", "bandara", "pelabuhan", "nelayan", "petani", "beras",
  "minyak", "listrik", "energi", "tambang", "hutan", "laut", "pulau", "kota", "desa",
  "warga", "mahasiswa", "guru", "dokter", "vaksin", "kesehatan", "olahraga", "sepak", "bola",
  "film", "musik", "festival", "wisata", "hotel", "the", "government", "president",
  "minister", "price", "market", "economy", "war", "missile", "military", "police", "court",
  "election", "party", "budget", "tax", "bank", "shares", "inflation", "flood",
  "earthquake", "school", "hospital", "road", "train", "airport", "port", "oil", "power",
  "energy", "mining", "forest", "sea", "island", "city", "village", "students", "teacher",
  "doctor", "vaccine", "health", "sport", "football", "film", "music", "tourism", "said",
  "official", "report", "data", "company", "industry", "trade", "export", "import",
}
math.randomseed(os.time())
request = function()
  local q = words[math.random(#words)] .. "+" .. words[math.random(#words)]
  return wrk.format("GET", "/api/search?q=" .. q)
end
LUA
else
cat >"$LUA" <<'LUA'
local queries = {
  "q=Korea+Utara", "q=pemerintah", "q=the+government", "q=Korut&lang=id", "q=North+Korea&sort=date",
  "q=%22Korea+Selatan%22", "q=harga+OR+price", "q=Jakarta&since=2024-01-01", "q=Putin",
  "q=Tertitskiy", "q=ekonomi+indonesia", "q=said&lang=en&limit=50", "q=KPK&facets=false",
  "q=perusahaan", "q=market", "entity=country:RU&q=", "q=presiden", "q=minister&site=site7.test",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?" .. queries[(i % #queries) + 1])
end
LUA
fi
# Warm up (page cache, lazily built tables), then measure.
wrk -t2 -c10 -d5s -s "$LUA" "http://127.0.0.1:$PORT" >/dev/null
wrk -t2 -c50 -d"$DURATION" --latency -s "$LUA" "http://127.0.0.1:$PORT"
echo "server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2/1024 " MB"}'), now $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MB"}')"
rm -f "$LUA"
