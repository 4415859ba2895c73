#!/usr/bin/python3
"""Sends N messages over SMTP with C parallel connections; prints one line per acknowledged
message: 'ACK <token> <queue id>'. Used by the kill test: what was acknowledged must be
delivered exactly once. usage: send_many.py HOST PORT N CONC RCPT [SIZE]"""
import smtplib, sys, threading, re

host, port, n, conc, rcpt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
size = int(sys.argv[6]) if len(sys.argv) > 6 else 2000
lock = threading.Lock()
counter = iter(range(n))

def take():
    with lock:
        return next(counter, None)

def worker():
    s = None
    while True:
        i = take()
        if i is None:
            break
        token = f"tok{i:06d}"
        body = (f"Subject: {token}\r\nFrom: a@remote.tst\r\nTo: {rcpt}\r\n\r\n" + ("x" * 70 + "\r\n") * (size // 72))
        try:
            if s is None:
                s = smtplib.SMTP(host, port, timeout=30)
                s.ehlo("client.remote.tst")
            s.mail("a@remote.tst")
            s.rcpt(rcpt)
            code, resp = s.data(body)
            if code == 250:
                m = re.search(rb"queued as (\S+)", resp)
                with lock:
                    print("ACK", token, m.group(1).decode() if m else "?", flush=True)
        except Exception as e:
            try:
                s.close()
            except Exception:
                pass
            s = None
    if s is not None:
        try:
            s.quit()
        except Exception:
            pass

ts = [threading.Thread(target=worker) for _ in range(conc)]
for t in ts: t.start()
for t in ts: t.join()
