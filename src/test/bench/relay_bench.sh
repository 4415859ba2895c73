#!/bin/bash
# Side-by-side relay benchmark (issue 4): smtp-source injects N messages for a remote domain
# into the server, which relays them through its SMTP client to smtp-sink on another port
# (relayhost = [127.0.0.1]:SINK_PORT). Measures messages per second from the first injected
# message until smtp-sink has received all N, for Postfix and for jmail, in one sitting.
# Run as root from the project root after "mvn -B -DskipTests package" and
# "../shared/bench/setup_peers.sh" (Postfix installed; it is stopped again afterwards).
# usage: src/test/bench/relay_bench.sh [N=10000] [SIZE=4096] [CONC=10] [which=both|jmail|postfix]
# env: BENCH (kit dir, for srvstat.py), JMAIL_PORT=2525, SINK_PORT=2526, TIMEOUT=1800
set -u
N=${1:-10000}; SIZE=${2:-4096}; CONC=${3:-10}; WHICH=${4:-both}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
if [ -z "${BENCH:-}" ]; then
  for b in "$ROOT/../shared/bench" /work/shared/bench; do [ -d "$b" ] && { BENCH=$b; break; }; done
fi
JPORT=${JMAIL_PORT:-2525}; SPORT=${SINK_PORT:-2526}; TIMEOUT=${TIMEOUT:-1800}
SRC=$(command -v smtp-source || echo /usr/sbin/smtp-source)
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
[ -x "$SRC" ] && [ -x "$SINK" ] || { echo "smtp-source/smtp-sink not found (apt-get install postfix)"; exit 2; }
D=/var/tmp/jmail-relay-bench
mkdir -p "$D"

# run LABEL PORT MATCH: sink up, inject, wait for N at the sink, print RESULT
run() {
  local label=$1 port=$2 match=$3
  rm -f "$D/sink.out"
  # -c: running counters on stdout; -u nobody: smtp-sink drops root; backlog 256
  "$SINK" -c -u nobody "127.0.0.1:$SPORT" 256 > "$D/sink.out" 2>&1 &
  local sinkpid=$!
  sleep 0.5
  if [ -n "$match" ]; then export SERVER_MATCH=$match; else unset SERVER_MATCH; fi
  local s0 t0 t1 t2 got=0
  s0=$(python3 "$BENCH/srvstat.py" snap)
  t0=$(date +%s.%N)
  "$SRC" -s "$CONC" -m "$N" -l "$SIZE" -f loadgen@example.tst -t "rcpt@sink.example" -S "relay bench" \
    "127.0.0.1:$port" > "$D/source.err" 2>&1
  t1=$(date +%s.%N)
  local deadline=$(( $(date +%s) + TIMEOUT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    # smtp-sink -c prints "\r<sessions> <messages>"-style counters; the last number is messages
    got=$(tr '\r' '\n' < "$D/sink.out" | grep -Eo '[0-9]+' | tail -1)
    got=${got:-0}
    [ "$got" -ge "$N" ] && break
    sleep 0.2
  done
  t2=$(date +%s.%N)
  local s1; s1=$(python3 "$BENCH/srvstat.py" snap)
  kill "$sinkpid" 2>/dev/null; wait "$sinkpid" 2>/dev/null
  python3 - "$label" "$N" "$SIZE" "$CONC" "$got" "$t0" "$t1" "$t2" "$s0" "$s1" <<'PY'
import sys
label, n, size, conc, got = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
t0, t1, t2 = map(float, sys.argv[6:9])
kv = lambda s: dict(x.split('=') for x in s.split())
a, b = kv(sys.argv[9]), kv(sys.argv[10])
print(f"RESULT relay_bench server={label} n={n} size={size} conc={conc} relayed={got} "
      f"accepted_s={t1-t0:.2f} relayed_s={t2-t0:.2f} relayed_mps={got/(t2-t0):.1f} "
      f"server_cpu_s={float(b['cpu_s'])-float(a['cpu_s']):.1f} rss_kb={b['rss_kb']}")
PY
  grep -v '^$' "$D/source.err" | head -3
}

if [ "$WHICH" != jmail ]; then
  old=$(postconf -h relayhost)
  postconf -e "relayhost = [127.0.0.1]:$SPORT"
  service postfix start >/dev/null 2>&1; sleep 1
  postsuper -d ALL >/dev/null 2>&1
  echo "# postfix: relayhost [127.0.0.1]:$SPORT, smtp-source -s $CONC -m $N -l $SIZE"
  run postfix 25 ""
  service postfix stop >/dev/null 2>&1
  postconf -e "relayhost = $old"
fi
if [ "$WHICH" != postfix ]; then
  J=$D/jmail; rm -rf "$J"; mkdir -p "$J"
  cat > "$J/main.cf" <<EOC
myhostname = mail.example.tst
mydestination = \$myhostname, example.tst, localhost
mynetworks = 127.0.0.0/8 [::1]/128
inet_interfaces = loopback-only
relayhost = [127.0.0.1]:$SPORT
queue_directory = $J/spool
data_directory = $J/lib
maillog_file = $J/mail.log
alias_maps =
alias_database =
EOC
  echo "127.0.0.1:$JPORT inet n - n - - smtpd" > "$J/master.cf"
  "$ROOT/target/jmail/bin/jmail" -c "$J" start || exit 1
  sleep 1
  echo "# jmail: relayhost [127.0.0.1]:$SPORT, smtp-source -s $CONC -m $N -l $SIZE"
  run jmail "$JPORT" "org.jmail.cli.Main jmail -c $J"
  "$ROOT/target/jmail/bin/jmail" -c "$J" stop
  echo "# jmail log warnings/errors:"; grep -E ' (warning|error|fatal|panic):' "$J/mail.log" | head -5
fi
