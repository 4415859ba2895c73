#!/bin/bash
# Side-by-side sendmail(1) benchmark (issue 4): /work/shared/bench/sendmail_bench.sh against
# Postfix's /usr/sbin/sendmail and jmail's packaging script, in one sitting. Run as root from
# the project root after "mvn -B -DskipTests package" and "../shared/bench/setup_peers.sh".
# usage: src/test/bench/sendmail_bench.sh [N=200] [which=both|jmail|postfix]
set -u
N=${1:-200}; WHICH=${2:-both}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
if [ -z "${BENCH:-}" ]; then
  for b in "$ROOT/../shared/bench" /work/shared/bench; do [ -d "$b" ] && { BENCH=$b; break; }; done
fi
if [ "$WHICH" != jmail ]; then
  service postfix start >/dev/null 2>&1; sleep 1
  echo "# postfix: sendmail_bench.sh $N /usr/sbin/sendmail bench20@example.tst"
  "$BENCH/sendmail_bench.sh" "$N" /usr/sbin/sendmail bench20@example.tst | grep RESULT
  service postfix stop >/dev/null 2>&1
fi
if [ "$WHICH" != postfix ]; then
  D=/var/tmp/jmail-sendmail-bench; rm -rf "$D"; mkdir -p "$D"
  cat > "$D/main.cf" <<EOC
myhostname = mail.example.tst
mydestination = \$myhostname, example.tst, localhost
inet_interfaces = loopback-only
mailbox_size_limit = 0
mail_spool_directory = /var/mail
queue_directory = $D/spool
data_directory = $D/lib
maillog_file = $D/mail.log
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
EOC
  echo "127.0.0.1:2525 inet n - n - - smtpd" > "$D/master.cf"
  "$ROOT/target/jmail/bin/jmail" -c "$D" start || exit 1
  sleep 1
  echo "# jmail: MAIL_CONFIG=$D sendmail_bench.sh $N target/jmail/bin/sendmail bench20@example.tst"
  MAIL_CONFIG=$D "$BENCH/sendmail_bench.sh" "$N" "$ROOT/target/jmail/bin/sendmail" bench20@example.tst | grep RESULT
  "$ROOT/target/jmail/bin/jmail" -c "$D" stop
fi
