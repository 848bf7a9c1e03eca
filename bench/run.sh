#!/usr/bin/env bash
# Runs the benchmarks against the packaged app on the local host; builds first if needed.
#   bench/run.sh [p1|p2|p6|all|soak] [--host-warmup s] [--warmup s] [--measure s] [--steady s] [--flips n]
#                [--flip-every s] [--swaps n] [--clients n] [--runs n] [--child-jvm "<jvm options>"] [--cds] [--keep]
# all is p1, p2 and p6; soak (1,000 swaps under load, about 4 minutes) runs only when asked for.
# Results are printed and written to bench/target/results/<name>.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-all}"
case "$which" in
  p1|p2|p6|all|soak) shift $(( $# > 0 ? 1 : 0 )) ;;
  *) echo "usage: bench/run.sh [p1|p2|p6|all|soak] [options]" >&2; exit 2 ;;
esac

if [[ ! -f "$root/bench/target/greenlight-bench.jar" || ! -f "$root/local/target/greenlight-local.jar" \
      || ! -d "$root/functions/target/azure-functions/greenlight" || "${BENCH_REBUILD:-0}" == 1 ]]; then
  echo "building (mvn -B -q -DskipTests package) ..."
  (cd "$root" && mvn -B -q -DskipTests package)
fi

# Run from a copy, so that a build in the same checkout cannot replace the jars mid-run.
copy="$(mktemp -d "${TMPDIR:-/tmp}/greenlight-bench-jar-XXXXXX")"
trap 'rm -rf "$copy"' EXIT
cp -r "$root/bench/target/greenlight-bench.jar" "$root/bench/target/lib" "$copy/"
java -Dgreenlight.root="$root" -jar "$copy/greenlight-bench.jar" "$which" "$@"
