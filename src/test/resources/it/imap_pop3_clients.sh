#!/bin/bash
# Real mail clients against a running jmail (integration test helper, loopback only).
#
# usage: imap_pop3_clients.sh HOST IMAP_PORT POP3_PORT USER PASS
#   The account must hold at least MIN messages (env MIN, default 1) in its INBOX; nothing is
#   deleted (fetchmail runs with "keep", mbsync pulls only, mutt saves a copy).
# env:  MIN=1 KEEP=1 (keep the temp dir) TIMEOUT=60 (seconds per client)
# Prints one line per check: "PASS name: detail", "FAIL name: detail" or "SKIP name: why",
# then "N passed, N failed, N skipped"; exits 1 when anything failed.
# Clients: curl (imap://, pop3://), fetchmail (POP3 and IMAP, MDA "cat >> file"),
# mbsync/isync (IMAP to a Maildir), mutt (IMAP and POP3, driven in batch through script(1)).
set -u
if [ $# -lt 5 ]; then sed -n '2,12p' "$0"; exit 2; fi
H=$1; IP=$2; PP=$3; U=$4; PW=$5
MIN=${MIN:-1}; TO=${TIMEOUT:-60}
case "$H" in
  127.*|::1|localhost) ;;
  *) echo "refusing to run against $H: loopback only"; exit 2 ;;
esac
T=$(mktemp -d /tmp/jmail-clients.XXXX); chmod 700 $T
NP=0; NF=0; NS=0
pass() { echo "PASS $1: $2"; NP=$((NP+1)); }
fail() { echo "FAIL $1: $2"; NF=$((NF+1)); }
skip() { echo "SKIP $1: $2"; NS=$((NS+1)); }
open() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
have() { command -v "$1" >/dev/null 2>&1; }
brief() { tr '\n' ' ' < "$1" | cut -c1-150; }
URLHOST=$H; case "$H" in *:*) URLHOST="[$H]" ;; esac

# ---------------- curl ----------------
if ! have curl; then skip curl "curl not installed"; else
  if open $H $PP; then
    curl -sS --max-time $TO "pop3://$URLHOST:$PP/" -u "$U:$PW" > $T/pl 2>&1
    n=$(grep -cE '^[0-9]+ [0-9]+' $T/pl)
    [ "$n" -ge "$MIN" ] && pass curl_pop3_list "$n messages listed" || fail curl_pop3_list "$(brief $T/pl)"
    curl -sS --max-time $TO "pop3://$URLHOST:$PP/1" -u "$U:$PW" > $T/pr 2>&1
    grep -qiE '^(subject|from|received):' $T/pr && pass curl_pop3_retr "RETR 1: $(wc -c < $T/pr) bytes" || fail curl_pop3_retr "$(brief $T/pr)"
    curl -sS --max-time $TO "pop3://$URLHOST:$PP/" -u "$U:wrong-$RANDOM" > $T/pb 2>&1 \
      && fail curl_pop3_badpass "wrong password accepted" || pass curl_pop3_badpass "$(brief $T/pb | cut -c1-80)"
  else skip curl_pop3 "port $H:$PP closed"; fi
  if open $H $IP; then
    curl -sS --max-time $TO "imap://$URLHOST:$IP/" -u "$U:$PW" > $T/il 2>&1
    grep -q INBOX $T/il && pass curl_imap_list "LIST shows INBOX" || fail curl_imap_list "$(brief $T/il)"
    curl -sS --max-time $TO "imap://$URLHOST:$IP/INBOX;MAILINDEX=1" -u "$U:$PW" > $T/if 2>&1
    grep -qiE '^(subject|from|received):' $T/if && pass curl_imap_fetch "message 1: $(wc -c < $T/if) bytes" || fail curl_imap_fetch "$(brief $T/if)"
    curl -sS --max-time $TO "imap://$URLHOST:$IP/" -u "$U:wrong-$RANDOM" > $T/ib 2>&1 \
      && fail curl_imap_badpass "wrong password accepted" || pass curl_imap_badpass "$(brief $T/ib | cut -c1-80)"
  else skip curl_imap "port $H:$IP closed"; fi
fi

# ---------------- fetchmail: POP3 and IMAP, MDA appends to a file ----------------
if ! have fetchmail; then skip fetchmail "fetchmail not installed"; else
  for proto in pop3 imap; do
    port=$PP; [ $proto = imap ] && port=$IP
    open $H $port || { skip fetchmail_$proto "port $H:$port closed"; continue; }
    out=$T/fm-$proto.mbox; : > $out
    # "keep" and "fetchall": the server's mailbox is left as it was; no TLS on loopback
    printf 'set no syslog\npoll %s service %s proto %s auth password user "%s" there with password "%s" is "%s" here options keep fetchall sslproto "" mda "cat >> %s"\n' \
      "$H" $port $proto "$U" "$PW" "$(id -un)" $out > $T/fetchmailrc; chmod 600 $T/fetchmailrc
    HOME=$T timeout $TO fetchmail -f $T/fetchmailrc -N -i $T/fm-$proto.ids > $T/fm-$proto.out 2>&1; r=$?
    # fetchmail writes one Received: line naming itself per message it hands to the MDA
    n=$(grep -c '(fetchmail-' $out 2>/dev/null); n=${n:-0}
    { [ $r = 0 ] || [ $r = 1 ]; } && [ "$n" -ge "$MIN" ] && pass fetchmail_$proto "$n messages through the MDA" \
      || fail fetchmail_$proto "rc=$r msgs=$n $(grep -iE 'error|fail|refus|denied' $T/fm-$proto.out | head -1 | cut -c1-120)"
  done
fi

# ---------------- mbsync (isync): IMAP INBOX pulled into a Maildir ----------------
if ! have mbsync; then skip mbsync_imap "isync not installed"; elif ! open $H $IP; then skip mbsync_imap "port $H:$IP closed"; else
  mkdir -p $T/maildir
  cat > $T/mbsyncrc <<EOM
IMAPAccount acct
Host $H
Port $IP
User $U
Pass $PW
SSLType None
AuthMechs LOGIN PLAIN

IMAPStore far
Account acct

MaildirStore near
Path $T/maildir/
Inbox $T/maildir/INBOX

Channel ch
Far :far:
Near :near:
Patterns INBOX
Create Near
Sync Pull
SyncState *
EOM
  timeout $TO mbsync -c $T/mbsyncrc -a > $T/mb.out 2>&1; r=$?
  n=$(find $T/maildir/INBOX \( -path '*/cur/*' -o -path '*/new/*' \) -type f 2>/dev/null | wc -l)
  [ $r = 0 ] && [ "$n" -ge "$MIN" ] && pass mbsync_imap "pulled $n messages into a Maildir" || fail mbsync_imap "rc=$r files=$n $(brief $T/mb.out)"
fi

# ---------------- mutt over IMAP (and POP3), in batch through script(1) ----------------
# mutt needs a terminal: script(1) gives it one. The pushed keys copy message 1 into a local
# mbox and quit; "folder" points into the temp dir so that mutt asks nothing at start-up
# (a "~/Mail does not exist. Create it?" prompt would swallow the keys).
mutt_check() { # $1 = check name, $2 = mailbox URL
  cat > $T/muttrc <<EOM
set imap_user="$U"
set imap_pass="$PW"
set pop_user="$U"
set pop_pass="$PW"
set ssl_starttls=no
set ssl_force_tls=no
set folder="$T"
set spoolfile=""
set record=""
set postponed="$T/postponed"
set header_cache=""
set message_cachedir=""
set mbox_type=mbox
set confirmcreate=no
set confirmappend=no
set delete=no
set move=no
set quit=yes
set mail_check=0
set timeout=5
EOM
  rm -f $T/$1.mbox
  TERM=xterm HOME=$T timeout $TO script -qec "mutt -n -F $T/muttrc -f '$2' -e 'push \"<copy-message>$T/$1.mbox<enter><quit>\"'" /dev/null > $T/$1.out 2>&1; r=$?
  if [ -s $T/$1.mbox ] && grep -q '^From ' $T/$1.mbox; then
    pass $1 "copied message 1 ($(wc -c < $T/$1.mbox) bytes) from $2"
  else
    fail $1 "rc=$r nothing copied; $(sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' $T/$1.out | tr -cd '[:print:]\n' | tail -c 160 | tr '\n' ' ')"
  fi
}
if ! have mutt || ! have script; then skip mutt "mutt or script(1) not installed"; else
  if open $H $IP; then mutt_check mutt_imap "imap://$U@$URLHOST:$IP/INBOX"; else skip mutt_imap "port $H:$IP closed"; fi
  if open $H $PP; then mutt_check mutt_pop3 "pop://$U@$URLHOST:$PP/"; else skip mutt_pop3 "port $H:$PP closed"; fi
fi

[ "${KEEP:-0}" = 1 ] && echo "kept $T" || rm -rf $T
echo "$NP passed, $NF failed, $NS skipped"
[ $NF = 0 ]
