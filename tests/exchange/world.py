"""world.py - a small exchange network on a running server, for the
exchange suites (tests/exchange/run.sh).

Builds, through the real interfaces only: a supplier company (the
operator's `tobmen admin`, its owner's password set from the welcome
mail), distributors that register, are invited and accept, licences
issued to them and connected to the supplier, activated devices, and an
API key of the supplier.  Reads TOBMEN_TEST_URL, TOBMEN_TEST_BIN,
TOBMEN_TEST_DB and TOBMEN_TEST_MAIL_DIR from the environment.  Standard
library only.
"""

import base64
import gzip
import http.client
import json
import os
import re
import subprocess
import time
import urllib.parse
import uuid as uuidlib

PASSWORD = "exchange suite passphrase 9"
INN = "7707083893"
SEQ = [0]


def env(name):
    v = os.environ.get(name, "")
    if not v:
        raise SystemExit("world.py: %s is not set" % name)
    return v


def uniq(tag):
    SEQ[0] += 1
    return "%s-%d-%d-%d" % (tag, os.getpid(), SEQ[0], int(time.time() * 1000)
                            % 10000000)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def request(method, path, body=None, headers=None, timeout=60, base=None):
    """One HTTP request; raises OSError on a transport failure."""
    u = urllib.parse.urlsplit(base or env("TOBMEN_TEST_URL"))
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else \
            json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        if hdrs.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        return Resp(r.status, hdrs, raw.decode("utf-8", "replace"))
    finally:
        conn.close()


def bearer(token):
    return {"Authorization": "Bearer " + token}


class Session:
    """A logged-in cabinet user."""

    def __init__(self, resp):
        cookie = resp.headers.get("set-cookie", "")
        m = re.match(r"tobmen_session=([^;]*)", cookie)
        if resp.status not in (200, 201) or not m:
            raise RuntimeError("login failed: %r" % resp)
        self.cookie = m.group(1)
        self.csrf = resp.json["csrf_token"]
        self.company_id = resp.json["company"]["id"]
        self.email = resp.json["user"]["email"]

    def call(self, method, path, body=None):
        h = {"Cookie": "tobmen_session=" + self.cookie}
        if method != "GET":
            h["X-CSRF-Token"] = self.csrf
            if body is None:
                body = {}
        return request(method, path, body, h)


def admin(*args):
    """Runs `tobmen admin ARGS --json` on the test store; parsed output."""
    cmd = [env("TOBMEN_TEST_BIN"), "admin"] + list(args) + \
        ["--db", env("TOBMEN_TEST_DB"), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), out.stderr.strip()))
    return json.loads(out.stdout)


def mail_token(to, key, had=0, wait=30):
    """Waits for a new mail to `to`; returns the value after `key`."""
    folder = env("TOBMEN_TEST_MAIL_DIR")
    want = "\r\nTo: <%s>" % to
    deadline = time.time() + wait
    while time.time() < deadline:
        found = []
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                raw = f.read().decode("utf-8", "replace")
            if want in raw:
                found.append((int(re.sub(r"\D", "", name.rsplit("-", 1)[-1])
                                   or 0), raw))
        if len(found) > had:
            raw = max(found)[1]
            part = raw.split("Content-Type: text/plain", 1)[1]
            body = part.split("\r\n\r\n", 1)[1].split("\r\n--", 1)[0]
            text = base64.b64decode("".join(body.split())).decode()
            m = re.search(re.escape(key) + r"([A-Za-z0-9_-]+)", text)
            if m:
                return m.group(1)
        time.sleep(0.1)
    raise RuntimeError("no mail with %s for %s" % (key, to))


def login(email):
    return Session(request("POST", "/api/v1/auth/login",
                           {"email": email, "password": PASSWORD,
                            "remember": False}))


def supplier_new(tag="sup"):
    """A supplier company and its owner, logged in."""
    co = admin("company", "add", "--name", uniq(tag), "--supplier")
    email = uniq(tag) + "@example.com"
    admin("user", "add", "--company", co["id"], "--email", email,
          "--name", "Поставщик", "--role", "owner")
    tok = mail_token(email, "token=")
    r = request("POST", "/api/v1/auth/password/reset",
                {"token": tok, "password": PASSWORD})
    if r.status != 204:
        raise RuntimeError("password reset: %r" % r)
    return login(email)


def distributor_new(tag="dist"):
    """A registered distributor company and its owner, logged in."""
    email = uniq(tag) + "@example.com"
    r = request("POST", "/api/v1/auth/register",
                {"company_name": "ООО " + uniq(tag), "inn": INN,
                 "name": "Анна", "email": email, "password": PASSWORD,
                 "lang": "ru"})
    return Session(r)


def link(sup, dist):
    """Invites dist's owner into sup's network and accepts; the code."""
    r = sup.call("POST", "/api/v1/network/distributors",
                 {"name": "Дистрибьютор " + uniq("d"), "email": dist.email})
    if r.status != 201:
        raise RuntimeError("invite: %r" % r)
    tok = mail_token(dist.email, "invite=")
    r = dist.call("POST", "/api/v1/invitations/%s/accept" % tok)
    if r.status != 200:
        raise RuntimeError("accept: %r" % r)
    return r.json.get("code") or r.json.get("card", {}).get("code")


def licences(dist, count):
    """Issues count licences to dist; [(number, code)]."""
    out = admin("licence", "issue", "--company", dist.company_id,
                "--count", str(count))
    items = out if isinstance(out, list) else out.get("items", [])
    return [(x["number"], x.get("activation_code") or x.get("code"))
            for x in items]


def connect(dist, supplier_id, numbers):
    r = dist.call("POST", "/api/v1/licences/connect",
                  {"supplier": supplier_id, "licences": numbers})
    if r.status != 200:
        raise RuntimeError("connect: %r" % r)


def activate(number, code, user="Агент"):
    """Activates a licence on a new device; its token."""
    r = request("POST", "/api/v1/device/activate",
                {"licence": number, "activation_code": code,
                 "mdm_id": str(uuidlib.uuid4()), "app_version": "3.1.0",
                 "user": user})
    if r.status != 200:
        raise RuntimeError("activate: %r" % r)
    return r.json["device_token"]


def apikey(sess, scopes, name="suite"):
    r = sess.call("POST", "/api/v1/api-keys",
                  {"name": name, "scopes": scopes})
    if r.status != 201:
        raise RuntimeError("api key: %r" % r)
    return r.json["key"]


def network(ndist=2, nlic=2):
    """A supplier with ndist linked distributors, each with nlic licences
    connected and activated.  A dict of everything made."""
    sup = supplier_new()
    w = {"supplier": sup, "key": apikey(sup, ["read", "publish"]),
         "distributors": []}
    for _ in range(ndist):
        d = distributor_new()
        code = link(sup, d)
        lic = licences(d, nlic)
        connect(d, sup.company_id, [n for n, _ in lic])
        devs = [activate(n, c) for n, c in lic]
        w["distributors"].append({"session": d, "code": code,
                                  "licences": lic, "devices": devs})
    return w


def document(kind="sale", lines=2, number=None, uid=None, price=12345):
    """A valid document with integer money."""
    ls = []
    for i in range(lines):
        qty = 1000 * (i + 1) + 500
        ls.append({"product_code": "P%03d" % i, "name": "Товар %d" % i,
                   "qty": qty, "price": price,
                   "amount": (qty * price + 500) // 1000})
    return {"uuid": uid or str(uuidlib.uuid4()), "kind": kind,
            "number": number or uniq("N"),
            "date": time.strftime("%Y-%m-%dT%H:%M:%S+00:00",
                                  time.gmtime(time.time() - 3600)),
            "outlet": {"code": "T1", "name": "Магазин", "inn": INN,
                       "address": "Москва"},
            "agent": "Иванов", "lines": ls,
            "total": sum(x["amount"] for x in ls), "comment": ""}


def upload(token, supplier_id, docs, timeout=60):
    return request("POST", "/api/v1/device/documents",
                   {"supplier_id": supplier_id, "documents": docs},
                   bearer(token), timeout=timeout)


def feed_all(key, after=0, limit=1000):
    """Reads the whole feed from after; the list of items."""
    items = []
    while True:
        r = request("GET", "/api/v1/feed?after=%s&limit=%d" % (after, limit),
                    headers=dict(bearer(key), **{"Accept-Encoding": "gzip"}))
        if r.status != 200:
            raise RuntimeError("feed: %r" % r)
        items.extend(r.json["items"])
        after = r.json["next_after"]
        if not r.json["more"]:
            return items
