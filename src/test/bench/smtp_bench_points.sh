#!/bin/bash
# The issue's three delivery points (20000 x 4 KB c=10, 20000 x 4 KB c=50, 5000 x 100 KB c=10)
# against the reference Postfix, then against ONE freshly started jmail, in that order and in
# one sitting, with the ratios. smtp_bench.sh restarts jmail for every point (each point
# cold); this script measures what a single daemon does from its start onwards.
# Run as root from the project root after "mvn -B -DskipTests package" and setup_peers.sh.
# usage: src/test/bench/smtp_bench_points.sh [which=both|jmail]
# MATRIX=1: the six points of ../shared/bench/results/run_smtp_matrix.sh (c=1, 10, 50 at 4 KB,
# then at 100 KB), the order in which the reference baseline was measured against one Postfix.
set -u
WHICH=${1:-both}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
PORT=${JMAIL_PORT:-2525}
D=/var/tmp/jmail-bench
POINTS=("20000 4096 10" "20000 4096 50" "5000 102400 10")
if [ "${MATRIX:-0}" = 1 ]; then
  POINTS=("20000 4096 1" "20000 4096 10" "20000 4096 50" "5000 102400 1" "5000 102400 10" "5000 102400 50")
fi
rate() { grep RESULT | grep -o 'delivered_mps=[0-9.]*' | cut -d= -f2; }
declare -A PF
if [ "$WHICH" = both ]; then
  service postfix start >/dev/null 2>&1; sleep 1
  for p in "${POINTS[@]}"; do
    # shellcheck disable=SC2086
    PF[$p]=$("$BENCH/smtp_load.sh" 127.0.0.1 25 $p | rate)
    echo "# postfix  $p: ${PF[$p]} msg/s"
  done
  service postfix stop >/dev/null 2>&1
fi
"$(dirname "$0")/smtp_bench.sh" 1 1 1 config # writes the instance's main.cf and master.cf
"$ROOT/target/jmail/bin/jmail" -c "$D" start >/dev/null || exit 1
for p in "${POINTS[@]}"; do
  # shellcheck disable=SC2086
  j=$(SERVER_MATCH="org.jmail.cli.Main jmail -c $D" "$BENCH/smtp_load.sh" 127.0.0.1 "$PORT" $p | rate)
  if [ -n "${PF[$p]:-}" ]; then
    echo "# jmail    $p: $j msg/s  ratio $(python3 -c "print(f'{$j/${PF[$p]}:.2f}')")"
  else
    echo "# jmail    $p: $j msg/s"
  fi
done
"$ROOT/target/jmail/bin/jmail" -c "$D" stop >/dev/null
