#!/bin/bash
# Generates the ClassBench filter sets the classifier bench measures (acl1/fw1/ipc1 at 10k and 100k)
# with ClassBench's own db_generator, from a checkout of ClassBench's sources and seed files
# (e.g. a clone of github.com/jafingerhut/classbench: db_generator/ and parameter_files/).
#
#   bash scripts/classbench-sets.sh CLASSBENCH_CHECKOUT [OUT_DIR]     (OUT_DIR: .cache/classbench)
#
# db_generator seeds its random numbers from the time of day; the copy built here takes a fixed
# seed (1) instead, so the same sets come out on every machine. Arguments as the NeuroCuts work
# used them: -bc SEED N 2 0.5 -0.1 (smoothness 2, address scope 0.5, application scope -0.1).
# Sets already in ../shared/perf-data/ (acl1_10k, fw1_10k) are not generated.
set -euo pipefail
src=${1:?usage: classbench-sets.sh CLASSBENCH_CHECKOUT [OUT_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$root/.cache/classbench}
mkdir -p "$out"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cp "$src"/db_generator/*.cc "$src"/db_generator/*.h "$build"/
sed -i 's/seed = tp\.tv_usec;/seed = getenv("DB_SEED") ? atol(getenv("DB_SEED")) : tp.tv_usec;/' "$build/db_generator.cc"
grep -q DB_SEED "$build/db_generator.cc" || { echo "could not give db_generator a fixed seed (its source changed?)" >&2; exit 1; }
(cd "$build" && g++ -O2 -w -o db_generator ./*.cc)
for set in acl1 fw1 ipc1; do
  for n in 10000 100000; do
    name=${set}_$((n / 1000))k
    if [ -e "$root/../shared/perf-data/$name" ] || [ -e "$out/$name" ]; then continue; fi
    DB_SEED=1 "$build/db_generator" -bc "$src/parameter_files/${set}_seed" "$n" 2 0.5 -0.1 "$out/$name" > /dev/null
    echo "$out/$name: $(grep -c '^@' "$out/$name") rules"
  done
done
