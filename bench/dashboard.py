"""`bench/run --dashboard`: how fast the dashboard renders with 100,000 PayPro orders loaded.

Starts the release build with the bench fixtures plus --orders PayPro orders of one merchant
(every other one paid, the rest unpaid), then requests each page one at a time (a fresh
connection each, as a browser opening a link), --samples times after a short warm-up, and
reports the median and the p99 of the time to the last byte:

- the overview (`/__sandbox/ui`),
- the orders list, first page, and filtered by merchant and status,
- a deep page of the list (page 1,000: rows 49,951 to 50,000),
- the list filtered by the start of an order number,
- an order's page (by ConnectPayId, with its history).

Writes bench/dashboard.json and the "Dashboard render" section of bench/RESULTS.md (kept by
later full runs). The goal (issue 14): a page renders in well under 100 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "dashboard.json"
START, END = "<!-- dashboard:start -->", "<!-- dashboard:end -->"
UI = "/__sandbox/ui"
GOAL_MS = 100


def orders(r, n: int) -> dict:
    """n orders of `bench-paypro`: the bench's paid orders, every other one left unpaid."""
    doc = r.paypro_orders(n)
    for i, order in enumerate(doc["paypro"]["orders"]):
        if i % 2:
            order["status"] = "unpaid"
            order.pop("paid_at", None)
    return doc


def measure(r, port: int, path: str, samples: int) -> dict:
    for _ in range(10):
        r.timed(port, "GET", path)
    times, statuses = [], set()
    for _ in range(samples):
        ms, status, _ = r.timed(port, "GET", path)
        times.append(ms)
        statuses.add(status)
    times.sort()
    return {"path": path, "samples": len(times), "statuses": sorted(statuses),
            "median_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 2),
            "max_ms": round(times[-1], 2)}


def run(r, n_orders: int, samples: int) -> dict:
    fx = r.write_bench_fixtures(r.OUT / "fixtures" / "dashboard", {"60-orders.json": orders(r, n_orders)})
    s = r.sandbox("dashboard", fixtures=fx, logfile=True)
    try:
        s.wait_ready(timeout=1800, poll=0.05)
        r.log(f"dashboard: started with {n_orders} orders in {s.start_ms:.0f} ms")
        _, status, html = r.timed(s.port, "GET", f"{UI}/paypro")
        ids = re.findall(rb'<tr id="order-([0-9]+)">', html)
        if status != 200 or not ids:
            raise RuntimeError(f"the orders list answered {status} with no order")
        order = ids[len(ids) // 2].decode()
        pages = [
            ("overview", UI),
            ("orders, page 1", f"{UI}/paypro"),
            ("orders of a merchant, unpaid, page 1", f"{UI}/paypro?merchant=bench-paypro&status=unpaid"),
            ("orders, page 1,000", f"{UI}/paypro?page=1000"),
            ("orders by number prefix", f"{UI}/paypro?number=G-9999"),
            # No order is refunded: the walk by id reads every order and finds none (the
            # lists have no index of their own, so this is the slowest list page there is).
            ("orders refunded (none are)", f"{UI}/paypro?status=refunded"),
            ("an order", f"{UI}/paypro/orders/{order}"),
        ]
        res = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": r.machine(), "orders": n_orders, "samples": samples, "pages": {}}
        for label, path in pages:
            res["pages"][label] = measure(r, s.port, path, samples)
            p = res["pages"][label]
            r.log(f"dashboard: {label}: median {p['median_ms']} ms, p99 {p['p99_ms']} ms ({p['statuses']})")
        res["mem"] = s.mem()
        res["load"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        s.stop()
    RESULTS.write_text(json.dumps(res, indent=1) + "\n")
    write_section(section(res))
    return res


def section(res) -> str:
    m = res["machine"]
    worst = max(p["p99_ms"] for p in res["pages"].values())
    L = [START, "## Dashboard render (`bench/run --dashboard`)", "",
         f"Written on **{res['date']}** — {m.get('cores')} CPUs, {m.get('cpu', '')}; release build, "
         f"`sqlite::memory:`, **{res['orders']:,} PayPro orders** loaded (one merchant, half paid). Each "
         f"page requested {res['samples']} times one after the other (a new connection each, after 10 "
         "warm-up requests); time to the last byte as the client measures it. Goal: well under "
         f"{GOAL_MS} ms — the worst p99 here is **{worst} ms** "
         f"({'met' if worst < GOAL_MS else 'NOT met'}). Load average at the end: "
         f"{', '.join(str(x) for x in res.get('load', []))} (p99 and max include waits for a CPU).", "",
         "| page | path | median ms | p99 ms | max ms |", "|---|---|---:|---:|---:|"]
    for label, p in res["pages"].items():
        L.append(f"| {label} | `{p['path']}` | {p['median_ms']} | {p['p99_ms']} | {p['max_ms']} |")
    L.append(END)
    return "\n".join(L) + "\n"


def write_section(text: str) -> None:
    path = BENCH / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    cores_end = "<!-- cores:end -->"
    if START in old and END in old:
        new = old[:old.index(START)] + text.rstrip("\n") + old[old.index(END) + len(END):]
    elif cores_end in old:
        # Where a full run puts it: right after the scaling section.
        at = old.index(cores_end) + len(cores_end)
        new = old[:at] + "\n\n" + text.rstrip("\n") + old[at:]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def saved_section() -> str:
    """The section again, for a full run that rewrites RESULTS.md."""
    return section(json.loads(RESULTS.read_text())) if RESULTS.exists() else ""
