#!/usr/bin/env python3
"""setup.py - makes the network a benchmark needs, through the service.

    setup.py --bin TOBMEN --db DB --url URL --mail-dir DIR --out FILE
             [--licences N] [--devices N]

Against a running server on a fresh store: a supplier company and its
owner (operator CLI, then the set-password mail), an invited distributor
that registers and accepts, N licences issued to the distributor and
connected to the supplier, DEVICES of them activated as phones, a feed
API key of the supplier.  Writes what the load scripts need as JSON to
FILE: ids, the two users' cookies and CSRF tokens, device tokens, the key.
Prints the reason and exits 1 on any refusal.
"""

import argparse
import base64
import glob
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

PASSWORD = "bench-Пароль-2026"


class Client:
    """One HTTP/1.1 connection with a session cookie and a CSRF token."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None, bearer=None, want=(200,)):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        if bearer:
            headers["Authorization"] = "Bearer " + bearer
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("tobmen_session="):
                self.cookie = v.split(";", 1)[0]
        conn.close()
        if r.status not in want:
            sys.exit("setup: %s %s: %d %s" % (method, path, r.status,
                                              raw[:300].decode("utf-8",
                                                               "replace")))
        out = json.loads(raw) if raw else {}
        if isinstance(out, dict) and "csrf_token" in out:
            self.csrf = out["csrf_token"]
        return out


def admin(args, opts):
    """Runs `tobmen admin ARGS --json` and returns its JSON."""
    cmd = [opts.bin, "admin"] + args + ["--db", opts.db, "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("setup: %s: %s" % (" ".join(args), p.stderr.strip()))
    return json.loads(p.stdout)


def mail_token(opts, to, key):
    """Waits for a mail to `to` and returns the token after `key`."""
    want = "To: <%s>" % to
    for _ in range(300):
        for path in sorted(glob.glob(os.path.join(opts.mail_dir, "*.eml"))):
            with open(path, "rb") as f:
                raw = f.read().decode("utf-8", "replace")
            if want not in raw:
                continue
            text = mail_text(raw)
            at = text.find(key)
            if at >= 0:
                tok = text[at + len(key):]
                end = 0
                while end < len(tok) and (tok[end].isalnum() or
                                          tok[end] in "-_"):
                    end += 1
                return tok[:end]
        time.sleep(0.1)
    sys.exit("setup: no mail to %s in 30 s (in %s)" % (to, opts.mail_dir))


def mail_text(raw):
    """The decoded text/plain part of a mail, or the raw text."""
    at = raw.find("Content-Type: text/plain")
    if at < 0:
        return raw
    head_end = raw.find("\r\n\r\n", at)
    part = raw[head_end + 4:]
    end = part.find("\r\n--")
    if end >= 0:
        part = part[:end]
    if "base64" in raw[at:head_end]:
        return base64.b64decode("".join(part.split())).decode("utf-8")
    return part


def make_supplier(opts, web):
    """The supplier company and its owner, logged in on web."""
    sup = admin(["company", "add", "--name", "ООО «Бенч-Поставщик»",
                 "--supplier"], opts)
    email = "owner@supplier.bench.test"
    admin(["user", "add", "--company", sup["id"], "--email", email,
           "--name", "Поставщиков", "--role", "owner"], opts)
    tok = mail_token(opts, email, "token=")
    web.call("POST", "/api/v1/auth/password/reset",
             {"token": tok, "password": PASSWORD}, want=(204,))
    web.call("POST", "/api/v1/auth/login",
             {"email": email, "password": PASSWORD, "remember": False})
    return sup["id"], email


def make_distributor(opts, sup_web, dist_web):
    """Invites a distributor, registers it and accepts the invitation."""
    email = "owner@distributor.bench.test"
    sup_web.call("POST", "/api/v1/network/distributors",
                 {"name": "ООО «Бенч-Дистрибьютор»", "email": email},
                 want=(201,))
    tok = mail_token(opts, email, "invite=")
    me = dist_web.call("POST", "/api/v1/auth/register",
                       {"company_name": "ООО «Бенч-Дистрибьютор»",
                        "name": "Дистрибьюторов", "email": email,
                        "password": PASSWORD, "lang": "ru"},
                       want=(201,))
    dist_web.call("POST", "/api/v1/invitations/%s/accept" % tok, {},
                  want=(200, 201, 204))
    return me["company"]["id"], email


def main():
    ap = argparse.ArgumentParser()
    for k in ("bin", "db", "url", "mail_dir", "out"):
        ap.add_argument("--" + k.replace("_", "-"), dest=k, required=True)
    ap.add_argument("--licences", type=int, default=120)
    ap.add_argument("--devices", type=int, default=8)
    opts = ap.parse_args()

    sup_web, dist_web = Client(opts.url), Client(opts.url)
    sup_id, sup_email = make_supplier(opts, sup_web)
    dist_id, dist_email = make_distributor(opts, sup_web, dist_web)

    lics = admin(["licence", "issue", "--company", dist_id, "--count",
                  str(opts.licences)], opts)
    numbers = [l["number"] for l in lics]
    dist_web.call("POST", "/api/v1/licences/connect",
                  {"licences": numbers, "supplier": sup_id})

    anon = Client(opts.url)
    devices = []
    for i, l in enumerate(lics[:opts.devices]):
        r = anon.call("POST", "/api/v1/device/activate",
                      {"licence": l["number"],
                       "activation_code": l["activation_code"],
                       "mdm_id": "b3e1c0de-0000-4000-8000-%012d" % i,
                       "app_version": "2.42.0",
                       "user": "Агент Петров %d" % i})
        devices.append({"token": r["device_token"],
                        "licence": l["number"],
                        "mdm_id": r["licence"]["mdm_id"]})

    key = sup_web.call("POST", "/api/v1/api-keys",
                       {"name": "bench feed", "scopes": ["read"]},
                       want=(200, 201))
    out = {
        "supplier": {"id": sup_id, "email": sup_email,
                     "cookie": sup_web.cookie, "csrf": sup_web.csrf},
        "distributor": {"id": dist_id, "email": dist_email,
                        "cookie": dist_web.cookie, "csrf": dist_web.csrf},
        "password": PASSWORD,
        "licences": len(numbers),
        "devices": devices,
        "feed_key": key["key"],
    }
    with open(opts.out, "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
