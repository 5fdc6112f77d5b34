#!/usr/bin/env bash
# HTTP figures against a running server: SSR catalogue page vs a static file from the same server,
# and the size of the hydrate WASM. Usage: scripts/bench.sh BASE_URL PKG_DIR
set -euo pipefail
base="$1"; pkg="$2"
rps() { wrk -t2 -c32 -d8s "$1" | awk '/Requests\/sec/{print $2}'; }
ssr=$(rps "$base/")
search=$(rps "$base/search?q=water%20bill")
static=$(rps "$base/icons/icon-192.png")
echo "SSR home page:      $ssr req/s"
echo "SSR search page:    $search req/s"
echo "static file:        $static req/s"
awk -v a="$ssr" -v b="$static" 'BEGIN { printf "SSR/static ratio:   %.2f\n", a / b }'
wasm=$(ls "$pkg"/*.wasm | head -1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
echo "hydrate WASM:       raw $((raw / 1024)) KB, gzip $((gz / 1024)) KB, brotli $((br / 1024)) KB (target <= 120 KB brotli)"
