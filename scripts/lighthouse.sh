#!/usr/bin/env bash
# First paint figures with Lighthouse 12.2.3 (mobile, its default simulated slow 4G and CPU) in
# Debian's Chromium, against a running server: first and largest contentful paint, total blocking
# time, and whether the page loaded the WASM. The median of three runs per page.
# Usage: scripts/lighthouse.sh BASE_URL LIGHTHOUSE_BIN
set -euo pipefail
base="$1"; lh="$2"
out="$(mktemp -d)"
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for page in "/" "/search?q=water%20bill" "/services/birth-certificate" "/sign-in"; do
  for run in 1 2 3; do
    CHROME_PATH=/usr/bin/chromium "$lh" "$base$page" --quiet --only-categories=performance \
      --chrome-flags="$flags" --output=json --output-path="$out/$run.json" >/dev/null 2>&1 || true
  done
  /usr/bin/python3 - "$page" "$out" <<'PY'
import json, statistics, sys, os
page, out = sys.argv[1], sys.argv[2]
runs = []
for n in (1, 2, 3):
    p = os.path.join(out, f"{n}.json")
    if not os.path.exists(p):
        continue
    r = json.load(open(p))
    a = r["audits"]
    wasm = any(i.get("url", "").endswith(".wasm") for i in a["network-requests"]["details"]["items"])
    runs.append((a["first-contentful-paint"]["numericValue"], a["largest-contentful-paint"]["numericValue"],
                 a["total-blocking-time"]["numericValue"], wasm))
if not runs:
    print(f"{page:32} lighthouse failed")
else:
    m = lambda i: statistics.median(x[i] for x in runs) / 1000
    print(f"{page:32} FCP {m(0):.2f} s  LCP {m(1):.2f} s  TBT {m(2)*1000:.0f} ms  WASM {'loaded' if runs[0][3] else 'none'}")
PY
  rm -f "$out"/*.json
done
rmdir "$out"
