#!/usr/bin/python3
"""Reads an mbox with Python's mailbox module and prints one JSON object per message with
its headers of interest, so Java tests can check what a standard mbox reader sees."""
import json, mailbox, sys
for msg in mailbox.mbox(sys.argv[1], create=False):
    print(json.dumps({
        "from_line": msg.get_from(),
        "subject": msg.get("Subject"),
        "return_path": msg.get("Return-Path"),
        "delivered_to": msg.get_all("Delivered-To"),
        "received": msg.get_all("Received"),
        "message_id": msg.get("Message-ID"),
        "date": msg.get("Date"),
        "x_uid": msg.get("X-UID"),
        "status": msg.get("Status"),
        "body": msg.get_payload(),
    }))
