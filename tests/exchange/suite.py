#!/usr/bin/env python3
"""suite.py STORE - the exchange's correctness under concurrency and crashes.

Run by tests/exchange/run.sh with TOBMEN_TEST_BIN and TOBMEN_TEST_DB set
(the store already migrated; for PostgreSQL also TOBMEN_TEST_PSQL, a
command that runs SQL in the test database).  This program starts and
stops the server itself, because one check kills it.  Checks:

  feed_never_skips      many writers upload in parallel, some through
                        transactions made slow at commit, while a reader
                        pages the feed with its cursor; the reader must
                        see every document exactly once, positions 1..N
                        with no hole, in order.
  retries_and_duplicates  the same batches sent again and in parallel
                        store each document once and answer "duplicate".
  kill9_keeps_acked     the server is killed with SIGKILL in the middle
                        of parallel uploads and started again; every
                        document acknowledged with 200 is there exactly
                        once, and the writers' retries fill in the rest.
  tenancy               a device of one distributor cannot write to a
                        supplier it is not «ВКЛ» for nor read another's
                        packages; one supplier's key sees nothing of
                        another's feed.

Prints "ok - NAME" / "FAIL - NAME" lines and ends with "N passed, N
failed".  Standard library only.
"""

import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import world as W  # noqa: E402

STORE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
SANITIZER = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")
RESULTS = {"passed": 0, "failed": 0}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A `tobmen serve` on the test store, restartable on its port."""

    def __init__(self, workdir):
        self.dir = workdir
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self.logs = []
        os.environ["TOBMEN_TEST_URL"] = self.url
        os.environ["TOBMEN_TEST_MAIL_DIR"] = os.path.join(workdir, "mail")

    def start(self):
        log = os.path.join(self.dir, "server-%d.log" % len(self.logs))
        self.logs.append(log)
        self.proc = subprocess.Popen(
            [os.environ["TOBMEN_TEST_BIN"], "serve", "--db",
             os.environ["TOBMEN_TEST_DB"], "--listen",
             "127.0.0.1:%d" % self.port, "--test-clock",
             "--data-dir", os.path.join(self.dir, "data"),
             "--mail-dir", os.path.join(self.dir, "mail"),
             "--db-pool", "16"],
            stdout=subprocess.DEVNULL, stderr=open(log, "w"),
            cwd=self.dir)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.tail())
            try:
                if W.request("GET", "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start: " + self.tail())

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        """SIGTERM; the exit status (0 expected)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9

    def tail(self):
        with open(self.logs[-1], encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-20:])

    def sanitizer_reports(self):
        bad = []
        for log in self.logs:
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
            bad.extend(m for m in SANITIZER if m in text)
        return bad


def check(name, fn, *args):
    t0 = time.time()
    try:
        fn(*args)
        RESULTS["passed"] += 1
        print("ok - %s: %s (%.1fs)" % (STORE, name, time.time() - t0))
    except Exception as e:  # one failed check must not stop the others
        RESULTS["failed"] += 1
        print("FAIL - %s: %s" % (STORE, name))
        for line in traceback.format_exception(type(e), e, e.__traceback__):
            for ln in line.rstrip().splitlines():
                print("  " + ln)
    sys.stdout.flush()


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def psql(sql):
    cmd = os.environ.get("TOBMEN_TEST_PSQL")
    subprocess.run(cmd + " " + shlex.quote(sql), shell=True, check=True,
                   stdout=subprocess.DEVNULL)


# --- a writer that keeps trying, like a phone --------------------------

class Writer(threading.Thread):
    """Uploads its documents in batches; a batch is retried (same uuids)
    until the server answers 200.  acked: the uuids of 200 answers."""

    def __init__(self, token, supplier, docs, batch=10, resend=0.0,
                 deadline=180):
        super().__init__(daemon=True)
        self.token, self.supplier, self.docs = token, supplier, docs
        self.batch, self.resend = batch, resend
        self.deadline = time.time() + deadline
        self.acked = {}
        self.errors = []
        self.statuses = []

    def send(self, part):
        while time.time() < self.deadline:
            try:
                r = W.upload(self.token, self.supplier, part, timeout=30)
            except OSError:
                time.sleep(0.05)
                continue
            if r.status == 200:
                return r
            if r.status in (429, 500, 502, 503):
                time.sleep(0.05)
                continue
            self.errors.append(repr(r))
            return None
        self.errors.append("gave up")
        return None

    def run(self):
        for i in range(0, len(self.docs), self.batch):
            part = self.docs[i:i + self.batch]
            for _ in range(2 if random.random() < self.resend else 1):
                r = self.send(part)
                if r is None:
                    return
                for x in r.json["results"]:
                    self.statuses.append(x["status"])
                    if x["status"] in ("stored", "duplicate"):
                        self.acked[x["uuid"]] = x["position"]


def feed_reader(key, stop, seen, errors):
    """Pages the feed with its cursor until stop is set and the head is
    reached; appends (position, uuid) to seen."""
    after = 0
    while True:
        done = stop.is_set()
        try:
            r = W.request("GET", "/api/v1/feed?after=%d&limit=37" % after,
                          headers=dict(W.bearer(key),
                                       **{"Accept-Encoding": "gzip"}),
                          timeout=30)
        except OSError as e:
            errors.append(str(e))
            time.sleep(0.05)
            continue
        if r.status != 200:
            errors.append(repr(r))
            return
        for it in r.json["items"]:
            seen.append((int(it["position"]), it["uuid"]))
        after = int(r.json["next_after"])
        if not r.json["more"]:
            if done:
                return
            time.sleep(0.01)


def assert_dense(items, what):
    pos = [int(x["position"]) if isinstance(x, dict) else x[0]
           for x in items]
    expect(pos == list(range(1, len(pos) + 1)),
           "%s: positions are not 1..%d in order: first faults %s" %
           (what, len(pos), [p for i, p in enumerate(pos) if p != i + 1][:5]))


# --- the checks ---------------------------------------------------------

def feed_never_skips(w):
    """Parallel writers (a third made slow at commit on PostgreSQL) and a
    reader paging meanwhile."""
    if STORE == "postgres":
        psql("CREATE OR REPLACE FUNCTION tobmen_test_slow() RETURNS trigger "
             "LANGUAGE plpgsql AS $$ BEGIN IF NEW.number LIKE 'SLOW%' THEN "
             "PERFORM pg_sleep(0.05 + random() * 0.25); END IF; RETURN NULL;"
             " END $$; DROP TRIGGER IF EXISTS tobmen_test_slow ON documents;"
             " CREATE CONSTRAINT TRIGGER tobmen_test_slow AFTER INSERT ON "
             "documents DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE "
             "FUNCTION tobmen_test_slow()")
    sup = w["supplier"].company_id
    writers = []
    for d in w["distributors"]:
        for t in d["devices"]:
            for k in range(2):
                slow = k == 0
                docs = [W.document(lines=1 + (i % 3), number=(
                    "SLOW-%d" % i) if slow and i % 4 == 0 else None)
                    for i in range(60)]
                writers.append(Writer(t, sup, docs, batch=5 if slow else 12))
    stop, seen, errors = threading.Event(), [], []
    reader = threading.Thread(target=feed_reader,
                              args=(w["key"], stop, seen, errors))
    reader.start()
    for x in writers:
        x.start()
    for x in writers:
        x.join()
    stop.set()
    reader.join()
    if STORE == "postgres":
        psql("DROP TRIGGER tobmen_test_slow ON documents")
    expect(not errors, "reader errors: %s" % errors[:3])
    expect(all(not x.errors for x in writers),
           "writer errors: %s" % [x.errors[:1] for x in writers if x.errors])
    sent = set()
    for x in writers:
        sent.update(u["uuid"] for u in x.docs)
    uuids = [u for _, u in seen]
    expect(len(uuids) == len(set(uuids)), "the reader saw a document twice")
    expect(set(uuids) == sent, "the reader missed %d documents" %
           len(sent - set(uuids)))
    assert_dense(seen, "the reader's pages")
    full = W.feed_all(w["key"])
    assert_dense(full, "a full re-read")
    expect([x["uuid"] for x in full] == uuids,
           "a full re-read differs from the paging reader")


def retries_and_duplicates(w):
    """Batches resent and sent by two writers at once."""
    sup = w["supplier"].company_id
    d = w["distributors"][0]
    docs = [W.document() for _ in range(80)]
    before = len(W.feed_all(w["key"]))
    writers = [Writer(d["devices"][0], sup, docs, batch=8, resend=0.5),
               Writer(d["devices"][1], sup, list(reversed(docs)), batch=7,
                      resend=0.5),
               Writer(d["devices"][0], sup, docs[::2], batch=3)]
    for x in writers:
        x.start()
    for x in writers:
        x.join()
    expect(all(not x.errors for x in writers), "writer errors")
    expect(all(s in ("stored", "duplicate") for x in writers
               for s in x.statuses), "a resend was not a duplicate")
    stored = sum(s == "stored" for x in writers for s in x.statuses)
    expect(stored == len(docs), "stored %d times for %d documents" %
           (stored, len(docs)))
    full = W.feed_all(w["key"])
    assert_dense(full, "the feed")
    expect(len(full) - before == len(docs), "the feed grew by %d, not %d" %
           (len(full) - before, len(docs)))
    for x in writers:
        for u, pos in x.acked.items():
            expect(full[int(pos) - 1]["uuid"] == u,
                   "the answer's position does not hold its document")


def kill9_keeps_acked(w, server):
    """SIGKILL in the middle of parallel uploads, then a restart."""
    sup = w["supplier"].company_id
    before = len(W.feed_all(w["key"]))
    writers = []
    for d in w["distributors"]:
        for t in d["devices"]:
            writers.append(Writer(t, sup, [W.document() for _ in
                                           range(300)], batch=6))
    total = sum(len(x.docs) for x in writers)
    for x in writers:
        x.start()
    # Kill once a tenth is in, so uploads are surely in flight.
    deadline = time.time() + 60
    while sum(len(x.acked) for x in writers) < total // 10 and \
            time.time() < deadline:
        time.sleep(0.005)
    server.kill9()
    acked_before = sum(len(x.acked) for x in writers)
    time.sleep(0.5)
    server.start()
    for x in writers:
        x.join()
    expect(0 < acked_before < total, "the kill did not land in the middle "
           "of the uploads (%d of %d acknowledged)" % (acked_before, total))
    expect(all(not x.errors for x in writers), "writer errors: %s" %
           [x.errors[:1] for x in writers if x.errors])
    full = W.feed_all(w["key"])[before:]
    uuids = [x["uuid"] for x in full]
    expect(len(uuids) == len(set(uuids)), "a document is stored twice")
    everything = set()
    for x in writers:
        everything.update(d["uuid"] for d in x.docs)
        missing = set(x.acked) - set(uuids)
        expect(not missing, "%d acknowledged documents are lost" %
               len(missing))
    expect(set(uuids) == everything, "%d documents never arrived" %
           len(everything - set(uuids)))
    assert_dense(W.feed_all(w["key"]), "the feed after the crash")


def large_uploads(w):
    """Uploads of many documents, stored by whole statements while their
    uuids are new: all new; half known (stored one by one instead); one
    uuid twice.  Answers, positions and the feed must not tell the paths
    apart."""
    sup = w["supplier"].company_id
    t = w["distributors"][0]["devices"][0]
    before = len(W.feed_all(w["key"]))
    first = [W.document() for _ in range(60)]
    again = [W.document() if i % 2 else first[i] for i in range(60)]
    twice = [W.document() for _ in range(30)]
    twice[17] = dict(twice[3])
    want = {"first": ["stored"] * 60,
            "again": ["stored" if i % 2 else "duplicate"
                      for i in range(60)],
            "twice": ["duplicate" if i == 17 else "stored"
                      for i in range(30)]}
    pos = {}
    for name, docs in (("first", first), ("again", again),
                       ("twice", twice)):
        r = W.upload(t, sup, docs)
        expect(r.status == 200, "%s: %r" % (name, r))
        res = r.json["results"]
        expect([x["status"] for x in res] == want[name], "%s: statuses %s" %
               (name, [x["status"] for x in res]))
        for x in res:
            if x["status"] == "stored":
                pos[x["uuid"]] = int(x["position"])
            else:
                expect(pos.get(x["uuid"]) == int(x["position"]),
                       "%s: a duplicate's position is not the first's"
                       % name)
    full = W.feed_all(w["key"])
    assert_dense(full, "the feed")
    new = full[before:]
    expect(len(new) == len(pos), "the feed grew by %d, not %d" %
           (len(new), len(pos)))
    expect(all(pos[x["uuid"]] == int(x["position"]) for x in new),
           "an answer's position does not hold its document")


def group_isolates_failures(w, other):
    """Uploads that fail, sent at the same moment as good ones, so that
    they share group commits: each gets its own answer and only the good
    documents are stored, once each, densely."""
    sup = w["supplier"].company_id
    osup = other["supplier"].company_id
    devs = [t for d in w["distributors"] for t in d["devices"]]
    before = len(W.feed_all(w["key"]))
    taken = W.document()
    expect(W.upload(devs[0], sup, [taken]).status == 200, "seed upload")
    clash = dict(taken, comment="другое содержимое")
    bad = dict(W.document(), total=1)
    plan = []
    for i in range(48):
        t = devs[i % len(devs)]
        kind = i % 4
        if kind == 0:
            plan.append(("good", t, sup, [W.document(), W.document()]))
        elif kind == 1:
            plan.append(("foreign", t, osup, [W.document()]))
        elif kind == 2:
            plan.append(("mixed", t, sup, [
                W.document(), dict(bad, uuid=str(uuid.uuid4()))]))
        else:
            # A uuid is unique per distributor: the seed's own devices.
            mine = w["distributors"][0]["devices"]
            plan.append(("clash", mine[i % len(mine)], sup, [clash]))
    gate = threading.Barrier(len(plan))
    answers = [None] * len(plan)

    def send(i):
        gate.wait()
        _, t, s_id, docs = plan[i]
        answers[i] = W.upload(t, s_id, docs)

    threads = [threading.Thread(target=send, args=(i,))
               for i in range(len(plan))]
    for x in threads:
        x.start()
    for x in threads:
        x.join()
    good = set()
    for (what, _, _, docs), r in zip(plan, answers):
        if what == "foreign":
            expect(r.status == 404 and r.json["error"]["code"] ==
                   "supplier_not_found", "foreign upload: %r" % r)
            continue
        expect(r.status == 200, "%s upload: %r" % (what, r))
        st = [x["status"] for x in r.json["results"]]
        if what == "good":
            expect(st == ["stored", "stored"], "good: %s" % st)
            good.update(d["uuid"] for d in docs)
        elif what == "mixed":
            expect(st == ["stored", "rejected"], "mixed: %s" % st)
            good.add(docs[0]["uuid"])
        else:
            expect(st == ["conflict"], "clash: %s" % st)
    full = W.feed_all(w["key"])
    assert_dense(full, "the feed")
    new = [x["uuid"] for x in full[before:]]
    expect(new[0] == taken["uuid"], "the seed document is not first")
    expect(len(new) == len(set(new)), "a document is stored twice")
    expect(set(new[1:]) == good, "stored %d documents, expected %d" %
           (len(new) - 1, len(good)))
    r = W.request("GET", "/api/v1/feed?after=0&limit=1000",
                  headers=W.bearer(other["key"]))
    expect(not good & {x["uuid"] for x in r.json["items"]},
           "a document reached the other supplier")


def tenancy(w, other):
    """Devices and keys stay inside their own companies."""
    d0, d1 = w["distributors"]
    osup = other["supplier"].company_id
    r = W.upload(d0["devices"][0], osup, [W.document()])
    expect(r.status == 404 and r.json["error"]["code"] ==
           "supplier_not_found", "wrote to a supplier it is not linked "
           "with: %r" % r)
    feed = W.feed_all(other["key"])
    mine = {x["uuid"] for x in W.feed_all(w["key"])}
    expect(not mine & {x["uuid"] for x in feed},
           "one supplier's key reads another's documents")
    p = W.request("POST", "/api/v1/packages",
                  {"kind": "messages", "target": "all",
                   "payload": {"text": "только своим"}},
                  W.bearer(other["key"]))
    expect(p.status == 201, "publish: %r" % p)
    r = W.request("GET", "/api/v1/device/packages?limit=100",
                  headers=W.bearer(d1["devices"][0]))
    expect(p.json["id"] not in [x["id"] for x in r.json["items"]],
           "a device sees the packages of a supplier it is not ВКЛ for")
    r = W.request("POST", "/api/v1/device/packages/%s/ack" % p.json["id"],
                  headers=W.bearer(d1["devices"][0]))
    expect(r.status == 404, "acknowledged another supplier's package")
    r = W.request("GET", "/api/v1/packages/%s" % p.json["id"],
                  headers=W.bearer(w["key"]))
    expect(r.status == 404, "a key read another supplier's package")


def main():
    work = tempfile.mkdtemp(prefix="tobmen-exchange-")
    server = Server(work)
    try:
        server.start()
        w = W.network(ndist=2, nlic=2)
        other = W.network(ndist=1, nlic=1)
        check("feed_never_skips", feed_never_skips, w)
        check("retries_and_duplicates", retries_and_duplicates, w)
        check("kill9_keeps_acked", kill9_keeps_acked, w, server)
        check("large_uploads", large_uploads, w)
        check("group_isolates_failures", group_isolates_failures, w,
              other)
        check("tenancy", tenancy, w, other)
    except Exception as e:
        RESULTS["failed"] += 1
        print("FAIL - %s: the suite could not run: %s" % (STORE, e))
        traceback.print_exc(file=sys.stdout)
    finally:
        rc = server.stop()
        if rc != 0:
            RESULTS["failed"] += 1
            print("FAIL - %s: server exits 0 on SIGTERM (got %s)" %
                  (STORE, rc))
            print(server.tail())
        bad = server.sanitizer_reports()
        if bad:
            RESULTS["failed"] += 1
            print("FAIL - %s: sanitizer reports in the server log: %s" %
                  (STORE, bad))
        subprocess.run(["rm", "-rf", work], check=False)
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
