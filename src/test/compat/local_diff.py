#!/usr/bin/env python3
"""Local delivery differential: jmail vs Postfix local(8). Developer tool, not part of the test suite.

Sends the same message for each case to Postfix (127.0.0.1:25) and to a jmail instance, waits for
delivery, and prints a unified diff of the normalised results: the bytes of each watched file
(mailboxes, /file destinations, command output), its owner/group/mode, and the log lines.

usage (as root, Postfix running as configured by setup_peers.sh, jmail configured alike with
mail_spool_directory = /var/mail and alias_maps = hash:/etc/aliases):
  src/test/compat/local_diff.py --jmail-port 2621 --jmail-log /var/tmp/diffc-jmail/mail.log \
      [--setup] [CASE...]
--setup creates the diffc* users, /etc/aliases entries, ~/.forward files and the helper command
/usr/local/bin/diffc-env.sh used by the cases (then runs newaliases). Without CASE all cases run.
Both servers write the same files, so the cases run one server at a time; a watched file is
removed before each run. Differences in time stamps, queue ids, pids and delays are normalised away.
"""
import argparse, difflib, grp, os, pwd, re, smtplib, subprocess, sys, time

PF_LOG = '/var/log/postfix.log'
JMAIL = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../target/jmail/bin/jmail')
ENV_OUT = '/tmp/diffc-env.out'
SENDER = 'diffc8@example.tst'
USERS = ['diffc%d' % i for i in range(1, 9)]
ALIASES = '''# diffc (local delivery differential) test aliases
diffcal2: diffc1, diffc2
diffc3: diffc3, diffc4
diffcnest: diffcal2, diffc4
diffcloop1: diffcloop2
diffcloop2: diffcloop1
diffcinc: :include:/etc/diffc.inc
diffccmd: "|/usr/local/bin/diffc-env.sh"
diffcfile: /var/tmp/diffc-file.mbox
diffcfalse: |/bin/false
diffctemp: "|exit 75"
'''
ENV_SH = '''#!/bin/sh
# diffc helper: record who runs it and its environment, consume stdin
out=/tmp/diffc-env.out
{ echo "ID=$(id)"; echo "PWD=$(pwd)"; env | sort; echo "STDIN:"; cat; } > $out 2>&1
chmod 666 $out 2>/dev/null
exit 0
'''
FORWARDS = {'diffc5': 'diffc1, \\diffc5\n', 'diffc6': '"|/usr/local/bin/diffc-env.sh"\n',
            'diffc7': '/home/diffc7/file.mbox\n'}

BODY = (b'Line one\r\nFrom the start of a line\r\n>From already quoted\r\n'
        b'8bit: caf\xc3\xa9\r\n\r\nlast line\r\n')


def msg(rcpt, body=BODY, extra=b''):
    return (b'From: Diff Sender <' + SENDER.encode() + b'>\r\nTo: ' + rcpt.encode() + b'\r\n'
            b'Subject: diff test\r\nDate: Sun, 29 Nov 2026 07:00:00 +0000\r\n'
            b'Message-ID: <diffc-test@example.tst>\r\nMIME-Version: 1.0\r\n'
            b'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n'
            + extra + b'\r\n' + body)


def mb(u):
    return '/var/mail/' + u

# name -> (recipients, message bytes, watched files)
CASES = {
    'plain': (['diffc1@example.tst'], msg('diffc1@example.tst'), [mb('diffc1')]),
    'ext': (['diffc1+foo@example.tst'], msg('diffc1+foo@example.tst'), [mb('diffc1')]),
    'upper': (['DiffC1@Example.TST'], msg('DiffC1@Example.TST'), [mb('diffc1')]),
    'notrail': (['diffc1@example.tst'], msg('diffc1@example.tst', b'no newline at end'), [mb('diffc1')]),
    'alias2': (['diffcal2@example.tst'], msg('diffcal2@example.tst'), [mb('diffc1'), mb('diffc2')]),
    'selfcopy': (['diffc3@example.tst'], msg('diffc3@example.tst'), [mb('diffc3'), mb('diffc4')]),
    'nested': (['diffcnest@example.tst'], msg('diffc-list@example.tst'), [mb('diffc1'), mb('diffc2'), mb('diffc4')]),
    'loop': (['diffcloop1@example.tst'], msg('diffc-list@example.tst'), [mb('diffc8')]),
    'include': (['diffcinc@example.tst'], msg('diffc-list@example.tst'), [mb('diffc1'), mb('diffc2')]),
    'cmd': (['diffccmd+ext@example.tst'], msg('diffc-list@example.tst'), [ENV_OUT]),
    'file': (['diffcfile@example.tst'], msg('diffc-list@example.tst'), ['/var/tmp/diffc-file.mbox']),
    'fwdlist': (['diffc5@example.tst'], msg('diffc-list@example.tst'), [mb('diffc1'), mb('diffc5')]),
    'fwdcmd': (['diffc6+e1@example.tst'], msg('diffc-list@example.tst'), [ENV_OUT]),
    'fwdfile': (['diffc7@example.tst'], msg('diffc-list@example.tst'), ['/home/diffc7/file.mbox']),
    'unknown': (['diffcnobody@example.tst'], msg('diffc-list@example.tst'), []),
    'false': (['diffcfalse@example.tst'], msg('diffc-list@example.tst'), [mb('diffc8')]),
    'tempfail': (['diffctemp@example.tst'], msg('diffc-list@example.tst'), []),
    'postmaster': (['postmaster@example.tst'], msg('diffc-list@example.tst'), [mb('root')]),
    'two': (['diffc1@example.tst', 'diffc2@example.tst'], msg('diffc-list@example.tst'), [mb('diffc1'), mb('diffc2')]),
}


def setup():
    for u in USERS:
        if subprocess.call(['id', u], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            subprocess.check_call(['useradd', '-m', '-s', '/bin/bash', u])
    with open('/usr/local/bin/diffc-env.sh', 'w') as f:
        f.write(ENV_SH)
    os.chmod('/usr/local/bin/diffc-env.sh', 0o755)
    with open('/etc/diffc.inc', 'w') as f:
        f.write('diffc1\ndiffc2\n')
    if 'diffcal2:' not in open('/etc/aliases').read():
        with open('/etc/aliases', 'a') as f:
            f.write(ALIASES)
    for u, text in FORWARDS.items():
        p = pwd.getpwnam(u)
        path = os.path.join(p.pw_dir, '.forward')
        with open(path, 'w') as f:
            f.write(text)
        os.chown(path, p.pw_uid, p.pw_gid)
    subprocess.check_call(['newaliases'])


def log_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_from(path, off):
    with open(path, 'rb') as f:
        f.seek(off)
        return f.read().decode('utf-8', 'replace')


def wait_done(path, off, timeout=20):
    """Waits until every queue id in the new log lines has a 'removed' line (or timeout)."""
    end = time.time() + timeout
    while time.time() < end:
        time.sleep(0.3)
        text = read_from(path, off)
        ids = set(queue_ids(ours(text)))
        if ids and all(re.search(re.escape(i) + r': removed', text) for i in ids):
            time.sleep(0.5)
            text2 = read_from(path, off)
            if text2 == text:
                return text
    return read_from(path, off)


def ours(text):
    """The log lines about this tool's messages: other users of the shared Postfix log in between."""
    keep = set()
    for line in text.splitlines():
        m = re.search(r'\]: ([0-9A-Za-z]{8,}): ', line)
        if m and 'diffc' in line:
            keep.add(m.group(1))
    for line in text.splitlines():
        m = re.search(r'\]: ([0-9A-Za-z]{8,}): .*notification: ([0-9A-Za-z]+)', line)
        if m and m.group(1) in keep:
            keep.add(m.group(2))
    lines = []
    for line in text.splitlines():
        m = re.search(r'\]: ([0-9A-Za-z]{8,}): ', line)
        if (m and m.group(1) in keep) or (not m and 'diffc' in line):
            lines.append(line)
    return '\n'.join(lines)


def norm_log(text, ids):
    out = []
    for line in text.splitlines():
        line = re.sub(r'^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ ', '', line)
        line = re.sub(r'\[\d+\]', '[PID]', line)
        if re.search(r'postfix/(master|postfix-script|smtpd|anvil|scache)|is not in jmail format', line):
            continue
        line = re.sub(r'delay=[\d.]+', 'delay=D', line)
        line = re.sub(r'delays=[\d./]+', 'delays=D', line)
        line = re.sub(r'size=\d+', 'size=N', line)
        line = re.sub(r'message-id=<\d{14}\.', 'message-id=<DATE.', line)
        for i, q in enumerate(ids):
            line = line.replace(q, 'QID%d' % i)
        out.append(line)
    return out


def queue_ids(text):
    seen = []
    for q in re.findall(r'\]: ([0-9A-Za-z]{8,}): ', text):
        if q not in seen and not q.islower():
            seen.append(q)
    return seen


def norm_mail(data, ids):
    s = data.decode('utf-8', 'replace')
    s = re.sub(r'^(From \S+ +)\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$', r'\1DATE', s, flags=re.M)
    s = re.sub(r'; \w{3}, [ \d]?\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}( \(\w+\))?', '; DATE', s)
    s = re.sub(r'^Date: .*$', 'Date: DATE', s, flags=re.M)
    s = re.sub(r'\d{8,}\.\w+@', 'N.ID@', s)  # bounce Message-Id / boundary
    s = re.sub(r'[0-9A-F]{6,}\.\d{9,}/', 'BOUNDARY/', s)
    s = re.sub(r'Arrival-Date: .*', 'Arrival-Date: DATE', s)
    s = s.replace('(jmail)', '(Postfix)')  # mail_name
    for i, q in enumerate(ids):
        s = s.replace(q, 'QID%d' % i)
    return s.splitlines()


def stat_line(path):
    try:
        st = os.stat(path)
    except OSError:
        return '%s: absent' % path
    try:
        u = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        u = str(st.st_uid)
    g = grp.getgrgid(st.st_gid).gr_name
    return '%s: %s:%s %o' % (path, u, g, st.st_mode & 0o7777)


def run(port, logpath, case):
    rcpts, data, files = CASES[case]
    for p in files + [ENV_OUT]:
        if os.path.exists(p):
            os.unlink(p)
    off = log_size(logpath)
    replies = []
    s = smtplib.SMTP('127.0.0.1', port, local_hostname='client.example.tst')
    s.ehlo()
    s.mail(SENDER)
    ok = 0
    for r in rcpts:
        code, resp = s.rcpt(r)
        replies.append('RCPT %s -> %d %s' % (r, code, resp.decode()))
        ok += code < 300
    if ok:
        code, resp = s.data(data)
        replies.append('DATA -> %d' % code)
    s.quit()
    text = ours(wait_done(logpath, off, 8 if case == 'tempfail' else 20) if ok else read_from(logpath, off))
    ids = queue_ids(text)
    if case == 'tempfail' and ids:  # deferred: take it out of the queue again
        tool = ['postsuper'] if port == 25 else [JMAIL, '-c', os.path.dirname(logpath), 'postsuper']
        subprocess.call(tool + ['-d', ids[0]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = replies + ['--- log'] + norm_log(text, ids)
    for p in files:
        out.append('--- ' + stat_line(p))
        if os.path.exists(p):
            with open(p, 'rb') as f:
                out += norm_mail(f.read(), ids)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--jmail-port', type=int, default=2621)
    ap.add_argument('--jmail-log', default='/var/tmp/diffc-jmail/mail.log')
    ap.add_argument('--setup', action='store_true')
    ap.add_argument('--show', action='store_true', help='print both outputs in full')
    ap.add_argument('cases', nargs='*')
    a = ap.parse_args()
    if a.setup:
        setup()
    differ = 0
    for c in a.cases or CASES:
        pf = run(25, PF_LOG, c)
        jm = run(a.jmail_port, a.jmail_log, c)
        d = list(difflib.unified_diff(pf, jm, 'postfix', 'jmail', lineterm='', n=2))
        print('=== %s: %s' % (c, 'DIFFERENT' if d else 'same'))
        if a.show:
            print('\n'.join(pf))
        if d:
            differ += 1
            print('\n'.join(d))
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main())
