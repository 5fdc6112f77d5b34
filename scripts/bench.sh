#!/usr/bin/env bash
# HTTP figures against a running server: SSR catalogue page vs a static file from the same server,
# grievance intake vs raw single-row INSERTs into the same Postgres, and the size of the hydrate
# WASM. Usage: scripts/bench.sh BASE_URL PKG_DIR DATABASE_URL INTAKE_KEY PGBENCH
set -euo pipefail
base="$1"; pkg="$2"; db="$3"; key="$4"; pgbench="$5"
rps() { wrk -t2 -c32 -d8s "$1" | awk '/Requests\/sec/{print $2}'; }
ssr=$(rps "$base/")
search=$(rps "$base/search?q=water%20bill")
static=$(rps "$base/icons/icon-192.png")
echo "SSR home page:      $ssr req/s"
echo "SSR search page:    $search req/s"
echo "static file:        $static req/s"
awk -v a="$ssr" -v b="$static" 'BEGIN { printf "SSR/static ratio:   %.2f\n", a / b }'

# Grievance intake (acknowledged = committed: the API answers 201 after the commit) beside raw
# single-row INSERTs, same concurrency, same database, same run.
run="r$(date +%s)"
intake=$(wrk -t2 -c32 -d8s -s "$(dirname "$0")/intake.lua" "$base" -- "$key" "$run" | awk '/^INTAKE/{print $2, $3, $4}')
read -r created seconds p95 <<<"$intake"
committed=$(psql "$db" -qAt -c "SELECT count(*) FROM grievances WHERE external_system = 'bench' AND external_ref LIKE '$run-%'")
intake_rps=$(awk -v n="$created" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
psql "$db" -q -c "DROP TABLE IF EXISTS bench_raw_inserts" -c "CREATE TABLE bench_raw_inserts (id uuid PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
echo "INSERT INTO bench_raw_inserts (id, body) VALUES (gen_random_uuid(), 'Pothole reported by the load test');" > /tmp/nagarik-raw-insert.sql
raw_rps=$("$pgbench" -n -c32 -j2 -T8 -f /tmp/nagarik-raw-insert.sql "$db" 2>/dev/null | awk '/^tps/{printf "%.0f", $3}')
psql "$db" -q -c "DROP TABLE bench_raw_inserts"
# The same rows a filing writes, as plain SQL in one transaction each: intake's real limit.
read -r cat dept assignee post <<<"$(psql "$db" -qAt -F ' ' -c "SELECT c.id, c.department_id, p.holder_id, p.id FROM posts p JOIN post_categories pc ON pc.post_id = p.id JOIN grievance_categories c ON c.id = pc.category_id ORDER BY p.wards IS NOT NULL, c.slug LIMIT 1")"
same_rps=$("$pgbench" -n -c32 -j2 -T8 -D cat="$cat" -D dept="$dept" -D assignee="$assignee" -D post="$post" \
  -f "$(dirname "$0")/intake-raw.sql" "$db" 2>/dev/null | awk '/^tps/{printf "%.0f", $3}')
echo "grievance intake:   $intake_rps acknowledged/s (p95 ${p95} ms; $created acknowledged, $committed committed rows)"
echo "raw INSERT:         $raw_rps rows/s (pgbench, one row per transaction, 32 clients)"
echo "same rows, plain SQL: $same_rps filings/s (pgbench: grievance, history entry, outbox row; one transaction each)"
awk -v a="$intake_rps" -v b="$raw_rps" 'BEGIN { printf "intake/raw ratio:   %.2f\n", a / b }'
awk -v a="$intake_rps" -v b="$same_rps" 'BEGIN { printf "intake/same-rows:   %.2f (aim >= 0.8)\n", a / b }'

wasm=$(ls "$pkg"/*.wasm | head -1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
echo "hydrate WASM:       raw $((raw / 1024)) KB, gzip $((gz / 1024)) KB, brotli $((br / 1024)) KB (target <= 120 KB brotli)"
