#!/usr/bin/env bash
# The request read beside the database's own limit for one round trip, in one run: a
# release `serve` on a seeded PostgreSQL database, wrk (2 threads, 16 connections)
# reading random requests of municipality 1 as its advisor, then pgbench (16 clients)
# running a one-row primary-key select on `requests`. Prints both and their ratio.
#   benches/ratio.sh postgres://postgres@127.0.0.1:5432/woonservice_bench [ROUNDS]
# Needs wrk (`apt-get install wrk`) and pgbench. RATIO_SECONDS (default 10).
set -euo pipefail
url=${1:?usage: ratio.sh DATABASE_URL [ROUNDS]}
rounds=${2:-1}
seconds=${RATIO_SECONDS:-10}
cd "$(dirname "$0")/.."
cargo build --release --bin woonservice
port=${MEASURE_PORT:-8095}
work=$(mktemp -d)
export JWT_SECRET=${JWT_SECRET:-measure-harness-secret-of-at-least-32-bytes}
BIND=127.0.0.1:$port DATABASE_URL=$url LOG_FORMAT=json RUST_LOG=warn target/release/woonservice serve > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.2; done
psql -Atq "$url" -c "select id from requests where municipality_id = 1 order by id" > "$work/ids"
requests=$(psql -Atq "$url" -c "select count(*) from requests")
token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"email":"advisor.1@seed.woonservice.nl","password":"seed-wachtwoord"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[[ -n $token ]] || { echo "login failed" >&2; exit 1; }
echo "| round | API req/s | API p50 / p99 ms | pgbench one-row tps | pgbench p50 / p99 ms | ratio |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  api=$(wrk -t2 -c16 -d"${seconds}s" --latency -s benches/wrk/read_request.lua "http://127.0.0.1:$port" -- "$token" "$work/ids" | grep '^wrk:')
  api_rps=$(sed -n 's/.* \([0-9]*\) req\/s.*/\1/p' <<<"$api")
  api_lat=$(sed -n 's/.*p50 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \/ \2/p' <<<"$api")
  grep -q ' 0 failed' <<<"$api" || { echo "API calls failed: $api" >&2; exit 1; }
  rm -f "$work"/tx*
  out=$(pgbench -n -M prepared -c 16 -j 2 -T "$seconds" -D requests="$requests" --log --log-prefix="$work/tx" \
    -f benches/pgbench/one_row.sql "$url" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  read -r p50 p99 < <(cat "$work"/tx* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
    i50 = int((NR - 1) * 0.50 + 0.5) + 1; i99 = int((NR - 1) * 0.99 + 0.5) + 1;
    printf "%.2f %.2f\n", a[i50] / 1000, a[i99] / 1000 }')
  printf "| %s | %s | %s | %.0f | %s / %s | %.2f |\n" "$round" "$api_rps" "$api_lat" "$tps" "$p50" "$p99" \
    "$(echo "$api_rps / $tps" | bc -l)"
done
