#!/bin/bash
# Differential check of jmail's Postfix-compatible command-line tools against Postfix's own.
#
# Usage: src/test/compat/cli_diff.sh [JMAIL_BIN_DIR] [PATTERN]
#   JMAIL_BIN_DIR  defaults to target/jmail/bin (build first: mvn -B -q -o -DskipTests package)
#   PATTERN        run only the cases whose command line contains it (grep -F)
# Needs Postfix's tools in /usr/sbin (postmap, postalias, postconf). Each case runs the same
# command line through both, in two identical scratch directories (a main.cf and a few
# tables); @D in a case stands for that directory, and is rewritten back to "D" in the output
# so that paths compare. Prints a diff (< Postfix, > jmail) of stdout, stderr and exit status
# for each case that differs, and "N of M cases differ" at the end (exit 1 if any do).
# A developer tool, not part of the test suite. Known differences, left on purpose:
#   - postmap -q/-s on a hash: table whose .db is missing: jmail answers from the source
#     with a warning (Postfix: fatal "open database X.db"); see table/HashTable.java
#   - postmap -s and inline: listings: source order (Postfix: Berkeley DB / hash order)
#   - postconf -d mail_name = jmail; postconf does not read master.cf for the listings, so
#     no "open DIR/master.cf" warning; -m, -a and other less common options are absent
#   - sendmail -bv is not supported; "invalid option" is printed once (Postfix: twice)
#   - usage lines list only the options jmail has
# Only error cases of sendmail are run: its fixture main.cf has no queue_directory, so a
# case that queued mail would reach the system Postfix's queue.
set -u
JBIN=$(readlink -f "${1:-target/jmail/bin}")
PATTERN=${2:-}
PFBIN=/usr/sbin
W=$(mktemp -d /tmp/cli_diff.XXXXXX)
trap 'rm -rf "$W"' EXIT

fixture() {
    local d=$1
    mkdir -p "$d"
    printf 'myhostname = h.example\nmydomain = example\nalias_maps = hash:%s/aliases\nalias_database = hash:%s/aliases\nfoo_bar = 1\n' "$d" "$d" > "$d/main.cf"
    printf 'Example.COM  v1\n# comment\n\nfoo   bar\n  baz\nbadline\nfoo dup\n' > "$d/t"
    printf 'k v\n' > "$d/clean"
    printf 'smtp inet n - y - - smtpd\n' > "$d/master.cf"
    printf '/^a(.*)@/ A$1\n/^b/ B\n' > "$d/re"
    printf 'root: a, b\nPostmaster: root\nnocolon x\nroot: dup\nlong: x,\n  y\n' > "$d/aliases"
}

differ=0
total=0
case_() {
    local line="$*"
    if [ -n "$PATTERN" ] && ! grep -qF -- "$PATTERN" <<<"$line"; then
        return
    fi
    total=$((total + 1))
    for side in pf jm; do
        local d="$W/$side" bin="$PFBIN"
        [ $side = jm ] && bin="$JBIN"
        rm -rf "$d"
        fixture "$d"
        local cmd=${line//@D/$d}
        (cd "$d" && PATH="$bin:$PATH" MAIL_CONFIG=$d eval "$cmd" >"$W/$side.out" 2>"$W/$side.err" </dev/null
         echo "exit $?" >>"$W/$side.out")
        { cat "$W/$side.out"; echo '-- stderr:'; cat "$W/$side.err"; } | sed "s#$d#D#g" >"$W/$side.all"
    done
    if ! diff -q "$W/pf.all" "$W/jm.all" >/dev/null; then
        differ=$((differ + 1))
        echo "=== $line"
        diff "$W/pf.all" "$W/jm.all"
    fi
}

# postmap: build, query, list, errors.
case_ postmap -c @D @D/t
case_ postmap -c @D hash:@D/clean
case_ postmap -c @D @D/missing
case_ postmap -c @D -q example.com @D/t
case_ postmap -c @D -fq example.com @D/t
case_ "postmap -c @D @D/t; postmap -c @D -q foo @D/t"
case_ "postmap -c @D @D/clean && postmap -c @D -q nope @D/clean"
case_ "postmap -c @D @D/clean && postmap -c @D -q K @D/clean"
case_ "postmap -c @D @D/clean && printf 'k\nx\nK\n' | postmap -c @D -q - @D/clean"
case_ "postmap -c @D -f @D/clean && postmap -c @D -fq K @D/clean"
case_ postmap -c @D -q x @D/missing
case_ postmap -c @D -q x hash:@D/missing
case_ postmap -c @D -q x texthash:@D/missing
case_ postmap -c @D -q Example.com texthash:@D/t
case_ postmap -c @D -q foo texthash:@D/t
case_ postmap -c @D -q nope texthash:@D/t
case_ postmap -c @D -s texthash:@D/clean
case_ postmap -c @D -q k "'inline:{k=v, {x = y z}}'"
case_ postmap -c @D -q K "'inline:{k=v, {x = y z}}'"
case_ postmap -c @D -q x "'inline:{k=v, {x = y z}}'"
case_ postmap -c @D -q q "'inline:{k=v, {x = y z}}'"
case_ postmap -c @D -q q "'inline:{k=v'"
case_ postmap -c @D -q q "'inline:{k}'"
case_ postmap -c @D -s "'inline:{k=v, {x = y z}}'"
case_ postmap -c @D -q anything static:val
case_ postmap -c @D -q anything "'static:{a b}'"
case_ postmap -c @D -q anything static:
case_ postmap -c @D -q abc@x regexp:@D/re
case_ postmap -c @D -q bcd regexp:@D/re
case_ postmap -c @D -q zzz regexp:@D/re
case_ postmap -c @D -q x regexp:@D/missing
case_ postmap -c @D -q x nosuchtype:@D/t
case_ postmap -c @D nosuchtype:@D/t
case_ postmap -c @D regexp:@D/re
case_ postmap -c @D
case_ postmap -c @D -q
case_ postmap -c @D -Z @D/t
case_ postmap -c @D -q a -s @D/t
case_ postmap -c @D/nodir @D/t
case_ postmap -c @D -s @D/missing
case_ postmap -c @D -s regexp:@D/re
case_ "postmap -c @D @D/clean && postmap -c @D -d k @D/clean; echo \$?; postmap -c @D -d k @D/clean"
case_ "printf 'a b\n' | postmap -c @D -i @D/clean && postmap -c @D -q a @D/clean"
# postalias
case_ postalias -c @D @D/aliases
case_ "postalias -c @D @D/aliases; postalias -c @D -q root @D/aliases"
case_ "postalias -c @D @D/aliases; postalias -c @D -q postmaster @D/aliases"
case_ "postalias -c @D @D/aliases; postalias -c @D -q long @D/aliases"
case_ "postalias -c @D @D/aliases; postalias -c @D -q nope @D/aliases"
case_ "postalias -c @D @D/aliases; printf 'root\nx\nlong\n' | postalias -c @D -q - @D/aliases"
case_ postalias -c @D @D/missing
case_ postalias -c @D -q x @D/missing
case_ newaliases -oA@D/aliases
case_ "newaliases -oA@D/aliases; postalias -c @D -q root @D/aliases"
# postconf
case_ postconf -c @D myhostname
case_ postconf -c @D myhostname mydomain
case_ postconf -c @D -h myhostname
case_ postconf -c @D -n
case_ postconf -c @D -nh
case_ postconf -c @D -d myhostname
case_ postconf -c @D -d mail_name
case_ postconf -c @D -d smtpd_banner
case_ postconf -c @D -dh smtpd_banner
case_ postconf -c @D nosuch_param
case_ postconf -c @D -h nosuch_param
case_ postconf -c @D myhostname nosuch_param mydomain
case_ postconf -c @D foo_bar
case_ postconf -c @D -n foo_bar
case_ postconf -c @D -x mydomain
case_ postconf -c @D mydestination
case_ postconf -c @D -x mydestination
case_ "postconf -c @D -e 'relayhost = [x.example]' 'mydomain=other' && cat @D/main.cf"
case_ "postconf -c @D -e 'nosuch = 1' && cat @D/main.cf"
case_ "postconf -c @D -e 'relayhost' ; cat @D/main.cf"
case_ "postconf -c @D -X foo_bar && cat @D/main.cf"
case_ "postconf -c @D -# foo_bar && cat @D/main.cf"
case_ postconf -c @D/nodir myhostname
case_ postconf -c @D -Z
case_ postconf -c @D -m
case_ postconf -c @D -a
# sendmail option parsing and usage errors (nothing may be queued: see the top)
case_ sendmail -bz
case_ sendmail -n a
case_ sendmail -X
case_ sendmail -t -bp
case_ sendmail -bp x
case_ sendmail -qZ
case_ "sendmail -B foo a"
case_ "sendmail -f a@b.tst"
case_ sendmail

echo "$differ of $total cases differ"
[ $differ -eq 0 ]
