#!/usr/bin/env bash
# Short benchmark run for CI, so the suite never rots: installs the bench's own dependencies,
# builds, and runs every part briefly (HTTP: one round, ~3 s per variant, Express and Fastify,
# hello handler, baseline / statsd-cpu-false / statsd-cpu-attributed / naive-hot-shots; one
# paired A/B block of statsd-cpu-process on Fastify; one concurrent slice of the default on
# Express; two servers under steady load for 6 s; one profiled server drawn as a flame graph).
# It prints its figures and never fails on them; it fails when the bench code itself crashes.
# Results go to bench/results/smoke/ (git-ignored), never to BENCHMARKS.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
SMOKE="$BENCH/results/smoke"

if [ ! -f "$ROOT/dist/cjs/index.js" ]; then
  if [ -d "$ROOT/node_modules" ]; then
    echo "bench smoke: building the library (dist/cjs missing)"
    npm run build --prefix "$ROOT"
  else
    echo "bench smoke: dist/cjs missing and root dependencies not installed; nestjs-statsd variants will be skipped"
  fi
fi

npm ci --prefix "$BENCH" --no-audit --no-fund
npm run build --prefix "$BENCH"

cd "$BENCH"
mkdir -p "$SMOKE"
node dist/http/runner.js --rounds 1 --duration 3 --warmup 1 --global-warmup 1 --max-minutes 6 \
  --adapters express,fastify --handlers hello \
  --variants baseline,statsd-cpu-false,statsd-cpu-attributed,naive-hot-shots \
  --out "$SMOKE/http.json"
node dist/http/paired.js --rounds 1 --blocks 1 --slice 1 --warmup 1 --max-minutes 3 \
  --adapters fastify --variants statsd-cpu-process --out "$SMOKE/http-paired.json"
node dist/http/paired.js --concurrent --rounds 1 --blocks 1 --slice 1 --warmup 1 --max-minutes 3 \
  --adapters express --variants statsd-default --out "$SMOKE/http-concurrent.json"
node dist/http/steady.js --adapter fastify --handler hello --seconds 6 --interval 2 --settle 2 \
  --variants baseline,statsd-default --out "$SMOKE/steady.json"
node dist/http/runner.js --rounds 1 --duration 1 --warmup 1 --global-warmup 0 --max-minutes 2 \
  --adapters fastify --handlers hello --variants statsd-cpu-process \
  --profile "$SMOKE/profiles" --out "$SMOKE/profiled/http.json"
node dist/report/flamegraph.js "$SMOKE"/profiles/*.cpuprofile --out-dir "$SMOKE/flame"
node dist/measure/measure.bench.js --time 200 --out "$SMOKE/measure.json"
node dist/measure/async-context.bench.js --repeats 1 --requests 2000 --out "$SMOKE/async-context.json"
node dist/client/client.bench.js --values 20000 --repeats 1 --out "$SMOKE/client.json"
node dist/memory/soak.js --duration 5 --skip 1 --out "$SMOKE/soak.json"
node dist/report/report.js --dir "$SMOKE" --out "$SMOKE/BENCHMARKS.md" --svg "$SMOKE/throughput-ratio.svg"
echo "bench smoke: done (figures above are informative only)"
