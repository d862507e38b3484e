#!/usr/bin/env bash
# Runs every script at each concurrency and prints a Markdown table of throughput and
# latency (p50/p99 from pgbench's per-transaction log).
#   benches/pgbench/run.sh "$DATABASE_URL"        (after setup.sql)
# PGBENCH_CONCURRENCY (default "1 16"), PGBENCH_SECONDS (default 10), PGBENCH_SCRIPTS.
set -euo pipefail
url=${1:?usage: run.sh DATABASE_URL}
here=$(cd "$(dirname "$0")" && pwd)
towns=$(psql "$url" -Atc "select count(*) from municipalities")
requests=$(psql "$url" -Atc "select count(*) from requests")
clients=$(psql "$url" -Atc "select count(*) from clients")
scripts=${PGBENCH_SCRIPTS:-one_row login read_request unmatched_queue create_request create_and_route accept sell_vouchers}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
echo "| script | connections | transactions | failed | tps | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|---|"
for s in $scripts; do
  for c in ${PGBENCH_CONCURRENCY:-1 16}; do
    j=$(( c < 2 ? 1 : 2 ))
    rm -f "$logs"/*
    out=$(pgbench -n -M prepared -c "$c" -j "$j" -T "${PGBENCH_SECONDS:-10}" -D towns="$towns" -D requests="$requests" -D clients="$clients" \
      --log --log-prefix="$logs/tx" -f "$here/$s.sql" "$url" 2>&1) || { echo "$out" >&2; exit 1; }
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
    done_=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
    read -r p50 p99 < <(cat "$logs"/tx* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
      i50 = int((NR - 1) * 0.50 + 0.5) + 1; i99 = int((NR - 1) * 0.99 + 0.5) + 1;
      printf "%.2f %.2f\n", a[i50] / 1000, a[i99] / 1000 }')
    printf "| %s | %s | %s | %s | %.0f | %s | %s |\n" "$s" "$c" "$done_" "${failed:-0}" "$tps" "$p50" "$p99"
  done
done
