#!/bin/bash
# README's quick start, as a developer without root would run it: a copy of etc/ and the
# built target/jmail in a fresh tree owned by USER, "jmail -c etc/dev start", swaks to
# port 2525, then IMAP on 1143 and POP3 on 1110 with the password devpass, then stop.
# usage: dev_instance.sh PROJECT_ROOT USER   (run as root; prints the checks, exit 0 = all ok)
set -eu
ROOT=$1 U=$2
T=$(mktemp -d /tmp/jmail-devtree.XXXXXX)
trap 'su "$U" -c "cd $T && target/jmail/bin/jmail -c etc/dev stop" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
mkdir -p "$T/target"
cp -r "$ROOT/etc" "$T/"
cp -r "$ROOT/target/jmail" "$T/target/"
chown -R "$U" "$T"
su "$U" -c "cd $T && target/jmail/bin/jmail -c etc/dev start"
swaks --server 127.0.0.1:2525 --from "$U@localhost" --to "$U@localhost" --header "Subject: dev hello" >/dev/null
for i in $(seq 1 100); do [ -s "$T/target/dev/mail/$U" ] && break; sleep 0.1; done
echo "mbox_owner=$(stat -c %U "$T/target/dev/mail/$U")"
curl -s --max-time 20 -u "$U:devpass" "imap://127.0.0.1:1143/INBOX;UID=1" | grep -m1 '^Subject:' | sed 's/^/imap_/'
python3 - "$U" <<'PY'
import poplib, sys
p = poplib.POP3("127.0.0.1", 1110)
p.user(sys.argv[1]); p.pass_("devpass")
print("pop3_count=%d" % p.stat()[0]); p.quit()
PY
echo "folders=$(ls "$T/target/dev/home/$U" | tr '\n' ' ')"
