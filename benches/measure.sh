#!/usr/bin/env bash
# One measurement round on a seeded database: a release `serve` on 127.0.0.1, the load
# harness against it, then (PostgreSQL only) pgbench with the same scenarios' statements.
#   benches/measure.sh postgres://postgres@127.0.0.1:5432/woonservice_bench
#   benches/measure.sh /tmp/town.db                     (SQLite: the load harness only)
# LOAD_CONCURRENCY, LOAD_SECONDS, PGBENCH_CONCURRENCY, PGBENCH_SECONDS pass through.
set -euo pipefail
url=${1:?usage: measure.sh DATABASE_URL}
cd "$(dirname "$0")/.."
cargo build --release --bin woonservice
port=${MEASURE_PORT:-8095}
if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
  echo "port $port is in use: stop what listens there or set MEASURE_PORT" >&2
  exit 1
fi
export JWT_SECRET=${JWT_SECRET:-measure-harness-secret-of-at-least-32-bytes}
BIND=127.0.0.1:$port DATABASE_URL=$url LOG_FORMAT=json target/release/woonservice serve > "${TMPDIR:-/tmp}/woonservice-measure.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.2; done
kill -0 $server 2> /dev/null || { echo "the server did not start (port $port taken?):" >&2; cat "${TMPDIR:-/tmp}/woonservice-measure.log" >&2; exit 1; }
echo "## API ($url)"
LOAD_URL=http://127.0.0.1:$port LOAD_DATABASE_URL=$url cargo bench --bench load 2>&1 | { grep -E '^\||failures|panicked' || true; }
kill $server; wait $server 2>/dev/null || true
trap - EXIT
if [[ $url == postgres* ]]; then
  towns=$(psql "$url" -Atc "select count(*) from municipalities")
  psql -q "$url" -v towns="$towns" -v proposals=20000 -f benches/pgbench/setup.sql > /dev/null
  echo "## pgbench ($url)"
  benches/pgbench/run.sh "$url"
fi
