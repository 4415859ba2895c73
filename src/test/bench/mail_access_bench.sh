#!/bin/bash
# Side-by-side IMAP/POP3 benchmark: jmail vs the reference Dovecot, with
# imap_bench.py and pop3_bench.py from the shared bench kit, in one sitting. Run as root
# from the project root after "mvn -B -DskipTests package" and "setup_peers.sh start"
# (bench users bench1..bench20, password benchpass). Each server runs alone: Dovecot is
# stopped while jmail is measured and vice versa. The same options as the baseline logs
# (shared/bench/results/imap.log, pop3.log); cold runs delete ~/mail/.imap, which holds
# both Dovecot's index and jmail's (~/mail/.imap/INBOX/jmail.index).
# usage: src/test/bench/mail_access_bench.sh [which=both|jmail|dovecot] [MESSAGES=10000] [SIZE=4096]
# env: BENCH (kit dir), IMAP_PORT=1143 POP3_PORT=1110 (jmail), CONC=50 CONC_SECONDS=30
set -u
WHICH=${1:-both}; M=${2:-10000}; SIZE=${3:-4096}
JMAIL=${JMAIL:-$(cd "$(dirname "$0")/../../.." && pwd)/target/jmail/bin/jmail} # another build's launcher, for A/B runs
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
if [ -z "${BENCH:-}" ]; then
  for b in "$ROOT/../shared/bench" /work/shared/bench; do [ -d "$b" ] && { BENCH=$b; break; }; done
fi
IPORT=${IMAP_PORT:-1143}; PPORT=${POP3_PORT:-1110}
CONC=${CONC:-50}; SECS=${CONC_SECONDS:-30}
D=/var/tmp/jmail-bench3
COMMON="--user bench1 --messages $M --size $SIZE --populate --cold-cmd 'rm -rf /home/bench1/mail/.imap' --conc $CONC --conc-seconds $SECS --conc-users bench2-bench20 --conc-populate 200"

run() { # run LABEL PORT MATCH -- runs both scripts against one server
  local label=$1 port_i=$2 port_p=$3 match=$4
  # an empty match keeps srvstat.py's default roots (Postfix master + Dovecot master)
  if [ -n "$match" ]; then export SERVER_MATCH=$match; else unset SERVER_MATCH; fi
  echo "# $label: imap_bench.py --host 127.0.0.1 --port $port_i $COMMON"
  eval python3 "$BENCH/imap_bench.py" --host 127.0.0.1 --port "$port_i" $COMMON 2>&1 | grep -v '^$' | tail -5
  echo "# $label idle after imap: $(python3 "$BENCH/srvstat.py" snap)"
  echo "# $label: pop3_bench.py --host 127.0.0.1 --port $port_p $COMMON"
  eval python3 "$BENCH/pop3_bench.py" --host 127.0.0.1 --port "$port_p" $COMMON 2>&1 | grep -v '^$' | tail -5
  echo "# $label idle after pop3: $(python3 "$BENCH/srvstat.py" snap)"
}

if [ "$WHICH" != dovecot ]; then
  service dovecot stop >/dev/null 2>&1; sleep 1
  rm -rf "$D"; mkdir -p "$D"
  cat > "$D/main.cf" <<EOC
myhostname = mail.example.tst
mydestination = \$myhostname, example.tst, localhost.localdomain, localhost
inet_interfaces = loopback-only
mailbox_size_limit = 0
mail_spool_directory = /var/mail
mail_location = mbox:~/mail:INBOX=/var/mail/%u
queue_directory = $D/spool
data_directory = $D/lib
maillog_file = $D/mail.log
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
EOC
  printf '127.0.0.1:%s inet n - n - - imapd\n127.0.0.1:%s inet n - n - - pop3d\n' "$IPORT" "$PPORT" > "$D/master.cf"
  "$JMAIL" -c "$D" start || exit 1
  sleep 2
  MATCH="org.jmail.cli.Main jmail -c $D"
  echo "# jmail idle at start: $(SERVER_MATCH="$MATCH" python3 "$BENCH/srvstat.py" snap)"
  run jmail "$IPORT" "$PPORT" "$MATCH"
  "$JMAIL" -c "$D" stop
  echo "# jmail log warnings/errors:"; grep -iE 'error|warn|fatal|panic|exception' "$D/mail.log" | head -20
fi
if [ "$WHICH" != jmail ]; then
  service dovecot start >/dev/null 2>&1; sleep 2
  echo "# dovecot idle at start: $(python3 "$BENCH/srvstat.py" snap)"
  run dovecot 143 110 "${DOVECOT_MATCH:-}"
  [ "$WHICH" = dovecot ] || service dovecot stop >/dev/null 2>&1
fi
