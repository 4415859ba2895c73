#!/bin/bash
# Side-by-side SMTP delivery benchmark: jmail vs the reference Postfix, with
# ../shared/bench/smtp_load.sh, in one sitting. Run as root from the project root after
# "mvn -B -DskipTests package" and "../shared/bench/setup_peers.sh" (bench users, smtp-source).
# usage: src/test/bench/smtp_bench.sh [N=20000] [SIZE=4096] [CONC=10] [which=both|jmail|postfix|config]
# (config: only write the jmail instance's configuration in /var/tmp/jmail-bench)
set -u
N=${1:-20000}; SIZE=${2:-4096}; CONC=${3:-10}; WHICH=${4:-both}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
PORT=${JMAIL_PORT:-2525}
JMAIL=${JMAIL:-$ROOT/target/jmail/bin/jmail} # another build's launcher, for A/B runs
D=/var/tmp/jmail-bench
if [ "$WHICH" != jmail ] && [ "$WHICH" != config ]; then
  service postfix start >/dev/null 2>&1; sleep 1
  echo "# postfix: smtp_load.sh 127.0.0.1 25 $N $SIZE $CONC"
  "$BENCH/smtp_load.sh" 127.0.0.1 25 "$N" "$SIZE" "$CONC" | grep RESULT
  service postfix stop >/dev/null 2>&1
fi
if [ "$WHICH" != postfix ]; then
  rm -rf "$D"; mkdir -p "$D"
  cat > "$D/main.cf" <<EOC
myhostname = mail.example.tst
mydestination = \$myhostname, example.tst, localhost.localdomain, localhost
mynetworks = 127.0.0.0/8 [::1]/128
inet_interfaces = loopback-only
mailbox_size_limit = 0
mail_spool_directory = /var/mail
queue_directory = $D/spool
data_directory = $D/lib
maillog_file = $D/mail.log
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
recipient_delimiter = +
EOC
  echo "127.0.0.1:$PORT inet n - n - - smtpd" > "$D/master.cf"
  [ "$WHICH" = config ] && exit 0
  "$JMAIL" -c "$D" start || exit 1
  if [ "${WARMUP:-0}" -gt 0 ]; then
    # a long-running daemon is JIT-compiled; WARMUP=N sends N messages first (not measured)
    echo "# jmail warm-up: smtp_load.sh 127.0.0.1 $PORT $WARMUP $SIZE $CONC"
    "$BENCH/smtp_load.sh" 127.0.0.1 "$PORT" "$WARMUP" "$SIZE" "$CONC" | grep -o 'delivered_mps=[0-9.]*'
  fi
  echo "# jmail: smtp_load.sh 127.0.0.1 $PORT $N $SIZE $CONC"
  SERVER_MATCH="org.jmail.cli.Main jmail -c $D" "$BENCH/smtp_load.sh" 127.0.0.1 "$PORT" "$N" "$SIZE" "$CONC" | grep RESULT
  sleep 2
  echo "# jmail idle: $(SERVER_MATCH="org.jmail.cli.Main jmail -c $D" python3 "$BENCH/srvstat.py" snap)"
  if [ "${THREADS:-0}" = 1 ]; then
    # CPU seconds per thread name (JIT compiler, GC, smtpd sessions, qmgr...) for profiling
    PID=$(pgrep -f "org.jmail.cli.Main jmail -c $D" | head -1); TCK=$(getconf CLK_TCK)
    for t in /proc/$PID/task/*; do echo "$(tr ' ' _ < $t/comm) $(awk '{print $14, $15}' $t/stat)"; done |
      awk -v t=$TCK '{sub(/-[0-9]+$/,"",$1); u[$1]+=$2; s[$1]+=$3} END {for (k in u) printf "#   %7.2f user %7.2f sys  %s\n", u[k]/t, s[k]/t, k}' | sort -k2 -rn | head -12
  fi
  "$JMAIL" -c "$D" stop
fi
