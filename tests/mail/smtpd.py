#!/usr/bin/env python3
"""smtpd.py - a real SMTP server for the mail suite (Debian python3-aiosmtpd).

    smtpd.py PORT DIR READY   serve on 127.0.0.1:PORT until SIGTERM
    smtpd.py --parse FILE     print FILE (an .eml) as JSON, then exit

Each accepted message is stored in DIR as NAME.eml (the bytes received) and
NAME.json (the envelope, and the message as Python's email package reads
it: decoded headers, MIME parts, decoded bodies, defects), the .json last,
each written to a temporary name and renamed, so a reader that finds the
.json finds both whole.  READY is created once the server accepts mail.
The parsing is deliberately not ours: it checks the C encoder against an
independent MIME reader.
"""
import email
import email.policy
import json
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


def describe(raw):
    """Returns a dict of what a mail reader would see in raw bytes."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "subject": str(msg.get("subject", "")),
        "from": str(msg.get("from", "")),
        "from_name": "",
        "from_addr": "",
        "to": str(msg.get("to", "")),
        "date": str(msg.get("date", "")),
        "message_id": str(msg.get("message-id", "")).strip(),
        "mime_version": str(msg.get("mime-version", "")),
        "content_type": msg.get_content_type(),
        "parts": [],
        "charsets": [],
        "text": None,
        "html": None,
        "defects": [type(d).__name__ for d in msg.defects],
    }
    frm = msg.get("from")
    if frm is not None and frm.addresses:
        out["from_name"] = frm.addresses[0].display_name
        out["from_addr"] = frm.addresses[0].addr_spec
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        out["parts"].append(ctype)
        out["charsets"].append(part.get_content_charset() or "")
        out["defects"] += [type(d).__name__ for d in part.defects]
        key = {"text/plain": "text", "text/html": "html"}.get(ctype)
        if key is not None and out[key] is None:
            out[key] = part.get_content()
    return out


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


class Saver:
    """aiosmtpd handler that files every message it is given."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%d-%d-%d" % (
            time.time_ns(), os.getpid(), self.count))
        raw = envelope.original_content or envelope.content
        info = describe(raw)
        info["envelope_from"] = envelope.mail_from
        info["envelope_to"] = list(envelope.rcpt_tos)
        write_atomic(base + ".eml", raw)
        write_atomic(base + ".json",
                     json.dumps(info, ensure_ascii=False).encode())
        return "250 Message accepted"


def serve(port, folder, ready):
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Saver(folder), hostname="127.0.0.1",
                            port=port)
    controller.start()
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())

    stop = {"now": False}

    def on_term(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    while not stop["now"]:
        time.sleep(0.05)
    controller.stop()


def main(argv):
    if len(argv) == 3 and argv[1] == "--parse":
        with open(argv[2], "rb") as f:
            print(json.dumps(describe(f.read()), ensure_ascii=False))
        return 0
    if len(argv) == 4:
        serve(int(argv[1]), argv[2], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
