#!/usr/bin/env python3
"""report.py - turns the bench's raw results into the one table.

    report.py RAW.tsv RESULTS_DIR

RAW.tsv is what bench/run.sh recorded (see lib/common.sh: run, na, note,
meta lines).  Prints the table (figure, value, ceiling, ratio, target,
verdict) and writes it with the ceilings, the notes and the machine as
Markdown and JSON into RESULTS_DIR, as bench-<time>-<mode>.{md,json} and
latest.{md,json}.  Every value is the median of its runs, shown with the
range of the runs.  A verdict is "met" or "MISSED"; a figure that could
not be measured says why instead of showing a number.
"""

import json
import os
import statistics
import sys

CEILINGS = {
    "c_nginx_get": ("nginx, GET of a 200-byte JSON file", "req/s"),
    "c_mhd_get": ("libmicrohttpd, GET answering 200 bytes", "req/s"),
    "c_mhd_post": ("libmicrohttpd + jansson, POST of a 3 KB document",
                   "req/s"),
    "c_sqlite_1": ("SQLite WAL, synchronous=FULL, 1 document a "
                   "transaction", "docs/s"),
    "c_sqlite_100": ("SQLite WAL, synchronous=FULL, 100 documents a "
                     "transaction", "docs/s"),
    "c_pg_pipeline": ("PostgreSQL, prepared + pipelined, 100 documents "
                      "a transaction", "docs/s"),
    "c_pg_copy": ("PostgreSQL, COPY, 100 documents a transaction",
                  "docs/s"),
    "c_feed_small": ("raw SELECT + streaming JSON, 1,000-document pages "
                     "from {small} documents", "pages/s"),
    "c_feed_big": ("raw SELECT + streaming JSON, 1,000-document pages "
                   "from {big} documents", "pages/s"),
    "c_argon2": ("argon2id checks at the service's parameters",
                 "hashes/s"),
}

# id, label, unit, ceiling id, kind, target, target text
#   kind "ratio": value / ceiling >= target
#   kind "max":   value <= target
FIGURES = [
    ("f_upload_1", "device upload, 1 document per request", "docs/s",
     "c_mhd_post", "ratio", 0.50, ">= 50% of POST ceiling"),
    ("f_upload_100", "device upload, 100 documents per request "
     "({bulk} connections)", "docs/s", "c_sqlite_100", "ratio", 0.70,
     ">= 70% of SQLite 100/txn"),
    ("f_upload_100_pg", "device upload, 100 documents per request, "
     "PostgreSQL ({bulk} connections)", "docs/s", "c_pg_pipeline",
     "ratio", 0.60,
     ">= 60% of pipelined; <= 1 statement/doc"),
    ("f_feed_big", "feed, 1,000-document pages from {big} documents",
     "pages/s", "c_feed_big", "ratio", 0.80, ">= 80% of SELECT+stream"),
    ("f_feed_ratio", "feed page time at {big} / at {small} documents",
     "x", None, "max", 1.30, "<= 1.3"),
    ("f_licences", "cabinet licence table, 100 rows, logged in", "req/s",
     "c_mhd_get", "ratio", 0.10, ">= 10% of GET ceiling"),
    ("f_me", "small authenticated GET (/auth/me)", "req/s", "c_mhd_get",
     "ratio", 0.50, ">= 50% of GET ceiling"),
    ("f_login", "login ({login} connections)", "logins/s", "c_argon2",
     "ratio", 0.80,
     ">= 80% of argon2id; memory within the hash cap"),
    ("f_p99", "p99 of 1-document uploads at half the maximum rate", "ms",
     None, "max", 25.0, "<= 25 ms"),
    ("f_mem_idle", "memory: idle", "MiB", None, "max", 32.0, "<= 32 MiB"),
    ("f_mem_conns", "memory: 1,000 open keep-alive connections", "MiB",
     None, "max", 128.0, "<= 128 MiB"),
    ("f_mem_growth", "memory growth, minute {t1} to {t2} of mixed load",
     "MiB", None, "max", None, "no growth (<= 1 MiB or 2%)"),
]

PASSWORD_MEM_MIB = 64


def read_raw(path):
    runs, na, notes, meta = {}, {}, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "run":
                runs.setdefault(p[1], []).append(
                    (float(p[2]), p[3] if len(p) > 3 else ""))
            elif p[0] == "na":
                na[p[1]] = p[2]
            elif p[0] == "note":
                notes.setdefault(p[1], []).append(p[2])
            elif p[0] == "meta":
                meta[p[1]] = p[2] if len(p) > 2 else ""
    return runs, na, notes, meta


def num(v):
    """A number for people: thousands separated, 3 significant digits
    below 100."""
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "{:,.0f}".format(v)
    if abs(v) >= 10:
        return "{:.1f}".format(v)
    return "{:.2f}".format(v)


def stat(runs, key):
    """(median, min, max, values) of key's runs, or None."""
    vals = [v for v, _ in runs.get(key, [])]
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals), vals


def with_range(s, unit):
    if s is None:
        return "-"
    m, lo, hi, _ = s
    return "%s %s (%s-%s)" % (num(m), unit, num(lo), num(hi))


def sizes(meta):
    small = int(meta.get("f_feed_small_documents", "0") or 0)
    big = int(meta.get("f_feed_big_documents", "0") or 0)
    return small, big


def fmt_label(text, meta):
    small, big = sizes(meta)
    soak = meta.get("settings", "")
    t2 = 5
    for w in soak.split():
        if w.startswith("soak="):
            t2 = int(w[5:].rstrip("s"))
    t1 = 60 if t2 >= 300 else 10
    if t2 >= 300:
        t1s, t2s = "1", str(t2 // 60)
    else:
        t1s, t2s = "%ds" % t1, "%ds" % t2
    return text.format(small="{:,}".format(small), big="{:,}".format(big),
                       t1=t1s, t2=t2s, bulk=meta.get("conns_bulk", "?"),
                       login=meta.get("conns_login", "?"))


def feed_ratio(runs):
    """Service page time at big / at small: medians' ratio, run-pair
    range."""
    a = stat(runs, "f_feed_small.mean_ms")
    b = stat(runs, "f_feed_big.mean_ms")
    if a is None or b is None:
        return None
    pairs = [y / x for x, y in zip(a[3], b[3]) if x > 0]
    return b[0] / a[0], min(pairs), max(pairs), pairs


def ceiling_feed_ratio(runs):
    a = stat(runs, "c_feed_small.page_ms")
    b = stat(runs, "c_feed_big.page_ms")
    if a is None or b is None:
        return None
    return b[0] / a[0]


def errors_in(runs, key):
    return [n for _, n in runs.get(key, []) if n and "errors=" in n]


def judge(fid, kind, target, value, ratio, meta, runs):
    """The verdict and any note that goes with it."""
    notes = []
    if fid == "f_mem_growth":
        firsts = [float(n.split()[1]) for _, n in runs.get(fid, [])
                  if n.startswith("rss ")]
        allowed = max(1.0, 0.02 * (statistics.median(firsts)
                                   if firsts else 32))
        notes.append("RSS samples: %s; allowed growth %.1f MiB" % (
            "; ".join(n for _, n in runs.get(fid, [])), allowed))
        return ("met" if value <= allowed else "MISSED"), notes
    if kind == "ratio":
        ok = ratio is not None and ratio >= target
    else:
        ok = value <= target
    if fid == "f_upload_100_pg":
        spd = meta.get("pg_statements_per_doc")
        if spd:
            notes.append("%s statements per document" % spd)
            ok = ok and float(spd) <= 1.0
        else:
            notes.append("statements per document not measured")
    if fid == "f_login":
        peak = int(meta.get("login_peak_kib", "0") or 0) / 1024
        base = int(meta.get("login_base_kib", "0") or 0) / 1024
        cap = int(meta.get("hash_parallel", "2") or 2)
        bound = base + cap * PASSWORD_MEM_MIB + 32
        notes.append("peak RSS %.0f MiB, bound %.0f MiB (%d hashes of "
                     "%d MiB)" % (peak, bound, cap, PASSWORD_MEM_MIB))
        ok = ok and peak <= bound
    return ("met" if ok else "MISSED"), notes


def build(runs, na, notes, meta):
    rows = []
    for fid, label, unit, cid, kind, target, ttext in FIGURES:
        row = {"id": fid, "label": fmt_label(label, meta), "unit": unit,
               "target": ttext, "notes": list(notes.get(fid, []))}
        s = feed_ratio(runs) if fid == "f_feed_ratio" else stat(runs, fid)
        c = stat(runs, cid) if cid else None
        if fid in na or s is None:
            why = na.get(fid, "not measured")
            if fid == "f_feed_ratio":
                why = na.get("f_feed_big", na.get("f_feed_small", why))
            row.update(value=None, verdict="not available: " + why)
            rows.append(row)
            continue
        row.update(value=s[0], min=s[1], max=s[2], runs=s[3])
        if c is not None:
            row["ceiling"] = {"id": cid, "label": fmt_label(
                CEILINGS[cid][0], meta), "unit": CEILINGS[cid][1],
                "value": c[0], "min": c[1], "max": c[2]}
            row["ratio"] = s[0] / c[0] if c[0] else None
        elif cid:
            row["ceiling"] = {"id": cid, "value": None}
            row["ratio"] = None
        if fid == "f_feed_ratio":
            cr = ceiling_feed_ratio(runs)
            if cr is not None:
                row["notes"].append("the ceiling's own page time ratio is "
                                    "%.2f" % cr)
        if fid == "f_upload_1":
            c1 = stat(runs, "c_sqlite_1")
            if c1:
                row["notes"].append(
                    "%.1fx the 1-document-a-transaction SQLite ceiling "
                    "(%s docs/s)" % (s[0] / c1[0], num(c1[0])))
        if fid == "f_p99":
            row["notes"].append("at %s uploads/s" %
                                meta.get("p99_rate", "?"))
        bad = errors_in(runs, fid)
        if fid == "f_feed_ratio":
            bad = errors_in(runs, "f_feed_small") + \
                errors_in(runs, "f_feed_big")
        if bad:
            row["verdict"] = "INVALID: runs with errors (%s)" % bad[0]
        elif kind == "ratio" and row.get("ratio") is None:
            row["verdict"] = "not available: no ceiling"
        else:
            row["verdict"], extra = judge(fid, kind, target, s[0],
                                          row.get("ratio"), meta, runs)
            row["notes"] += extra
        rows.append(row)
    return rows


def ceilings(runs, na, meta):
    out = []
    for cid, (label, unit) in CEILINGS.items():
        s = stat(runs, cid)
        c = {"id": cid, "label": fmt_label(label, meta), "unit": unit}
        if s is None:
            c["value"] = None
            c["why"] = na.get(cid, "not measured")
        else:
            c.update(value=s[0], min=s[1], max=s[2], runs=s[3])
        out.append(c)
    return out


def table(rows):
    head = ["figure", "value (range)", "ceiling", "ratio", "target",
            "verdict"]
    body = []
    for r in rows:
        if r.get("value") is None:
            body.append([r["label"], "-", "-", "-", r["target"],
                         r["verdict"]])
            continue
        c = r.get("ceiling")
        ceil = "-"
        if c and c.get("value") is not None:
            ceil = "%s %s" % (num(c["value"]), c["unit"])
        ratio = "-"
        if r.get("ratio") is not None:
            ratio = "%.0f%%" % (100 * r["ratio"])
        body.append([r["label"], with_range((r["value"], r["min"],
                                             r["max"], None), r["unit"]),
                     ceil, ratio, r["target"], r["verdict"]])
    return head, body


def markdown_table(head, body):
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]
    for b in body:
        lines.append("| " + " | ".join(x.replace("|", "/") for x in b) +
                     " |")
    return "\n".join(lines)


def text_table(head, body):
    w = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    out = ["  ".join(h.ljust(w[i]) for i, h in enumerate(head)),
           "  ".join("-" * x for x in w)]
    for b in body:
        out.append("  ".join(x.ljust(w[i]) for i, x in enumerate(b)))
    return "\n".join(out)


def markdown(rows, ceils, meta, head, body):
    m = ["# tobmen bench, %s (%s)" % (meta.get("date", "?"),
                                      meta.get("mode", "?")), ""]
    m += ["Machine: %s." % meta.get("machine", "?"), "",
          "Versions: %s; %s, commit %s." % (meta.get("versions", "?"),
                                           meta.get("tobmen", "?"),
                                           meta.get("commit", "?")), "",
          "Settings: %s.  Load average at start %s, at end %s." % (
              meta.get("settings", "?"), meta.get("load_start", "?"),
              meta.get("load_end", "?")), "",
          markdown_table(head, body), ""]
    m += ["## Notes", ""]
    for r in rows:
        for n in r.get("notes", []):
            m.append("- %s: %s" % (r["label"], n))
    m += ["", "## Ceilings (median of the runs, range)", ""]
    for c in ceils:
        if c["value"] is None:
            m.append("- %s: not available: %s" % (c["label"], c["why"]))
        else:
            m.append("- %s: %s" % (c["label"], with_range(
                (c["value"], c["min"], c["max"], None), c["unit"])))
    return "\n".join(m) + "\n"


def main():
    runs, na, notes, meta = read_raw(sys.argv[1])
    rows = build(runs, na, notes, meta)
    ceils = ceilings(runs, na, meta)
    head, body = table(rows)
    print(text_table(head, body))
    for r in rows:
        for n in r.get("notes", []):
            print("  note: %s: %s" % (r["label"], n))

    os.makedirs(sys.argv[2], exist_ok=True)
    stamp = meta.get("date", "unknown").replace(":", "").replace("-", "")
    base = os.path.join(sys.argv[2], "bench-%s-%s" % (
        stamp, meta.get("mode", "run")))
    md = markdown(rows, ceils, meta, head, body)
    doc = {"meta": meta, "figures": rows, "ceilings": ceils}
    for path in (base, os.path.join(sys.argv[2], "latest")):
        with open(path + ".md", "w", encoding="utf-8") as f:
            f.write(md)
        with open(path + ".json", "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
    print("\nwritten: %s.md, %s.json" % (base, base))


if __name__ == "__main__":
    main()
