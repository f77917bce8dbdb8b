#!/usr/bin/env bash
# Compare two boardpress release binaries on the national corpus, in
# alternating runs (the machine's speed drifts; alternating keeps the
# comparison fair): a first build, an unchanged rebuild and a rebuild after
# one plan's title is reworded, five times each, then the medians.
#
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
#   cargo build --release
#   bash examples/compare_builds.sh /tmp/old/target/release/boardpress
#
# An older binary may not know board fields the corpus now has (members'
# leads, lead aliases, the accessibility contact): it runs a copy of the
# corpus without them, everything else the same.
set -euo pipefail
OLD=${1:?usage: compare_builds.sh OLD_BINARY [NEW_BINARY]}
NEW=${2:-$(dirname "$0")/../target/release/boardpress}
RUNS=${RUNS:-5}
SHM=/dev/shm
CORPUS=$SHM/boardpress-bench-national
BASE=$SHM/boardpress-bench-national-base
if [ ! -d "$CORPUS/content" ]; then
  (cd "$(dirname "$0")/.." && cargo run --release --example gen_corpus -- --boards 150 --docs 10 --out "$CORPUS")
fi
rm -rf "$BASE" && cp -r "$CORPUS" "$BASE"
for f in "$BASE"/content/boards/*/board.yaml; do
  sed -i '/^members:/,$d' "$f"
done
t() { /usr/bin/time -o "$SHM/compare-time" -f "%e %M" "$@" >/dev/null 2>&1; cat "$SHM/compare-time"; }
results=$(mktemp)
for i in $(seq "$RUNS"); do
  for who in old new; do
    if [ "$who" = old ]; then bin=$OLD; root=$BASE; else bin=$NEW; root=$CORPUS; fi
    out=$SHM/compare-out-$who
    rm -rf "$out"
    read -r first first_kb < <(t "$bin" build --root "$root" --output "$out")
    read -r again _ < <(t "$bin" build --root "$root" --output "$out")
    plan=$(ls "$root"/content/boards/board-000/documents/*/plan.yaml | head -1)
    cp "$plan" "$SHM/compare-plan"
    sed -i '1s/^title: /title: Revised /' "$plan"
    read -r edit _ < <(t "$bin" build --root "$root" --output "$out")
    cp "$SHM/compare-plan" "$plan"
    echo "$who $first $again $edit $first_kb" | tee -a "$results"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '\n%-4s %12s %18s %15s %14s\n' "" "first build" "unchanged rebuild" "one plan edited" "peak memory"
for who in old new; do
  col() { awk -v w="$who" -v c="$1" '$1 == w {print $c}' "$results" | median; }
  printf '%-4s %10s s %16s s %13s s %10s MiB\n' "$who" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5 | awk '{printf "%.1f", $1 / 1024}')"
done
rm -rf "$SHM"/compare-out-* "$BASE" "$results"
