"""`bench/run --cores 1,2,4,8`: how paysandbox scales with cores, and head-of-line blocking.

For each core count N the server is pinned (taskset) to the first N CPUs and wrk (and the
gpojson loop) to the others. N equal to the machine's CPUs has wrk share them all with the
server (marked "shared with wrk"); larger counts are skipped and said so. Every binary given with --binary (label=path, default: this tree's release build) is
measured on the same cores one after the other, so an old and a new build compare side by side.

Per core count and binary: PayPro gos, AggrePay fetchbalance, PayPro co and AggrePay
debitwallet at full load (32 connections, 1 s warm-up, then --seconds), bare axum on gos as the
ceiling, and head-of-line: gos at half its maximum rate (constant rate) without and then with a
loop of gpojson over --hol-orders paid orders running beside it.

Writes bench/cores.json, bench/scaling.svg and the "Scaling with cores" section of
bench/RESULTS.md (kept by later full runs).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "cores.json"
SVG = BENCH / "scaling.svg"
START, END = "<!-- cores:start -->", "<!-- cores:end -->"
SCENARIOS = ["paypro gos", "aggrepay fetchbalance", "paypro co", "aggrepay debitwallet"]
# Head-of-line at half the maximum rate (the goal's) and at a tenth (when wrk and the gpojson
# loop share the one CPU left to them, at half rate wrk itself falls behind: see *late max*).
HOL_LOADS = [("head-of-line", 2), ("head-of-line light", 10)]
# The goals for the last binary: rate at 8 cores over its rate at 1 core, and gos as a
# share of bare axum at every core count.
SCALING_GOALS = {"paypro gos": 4.0, "aggrepay fetchbalance": 3.5, "paypro co": 1.5, "aggrepay debitwallet": 1.5}
GOS_OF_AXUM_GOAL = 0.30
HOL_GOAL_MS = 5
# A pinning that holds gives 2N busy processes on N CPUs about N CPUs' worth of time; past this
# factor of N, taskset was not enforced (a user-space kernel such as gVisor schedules on its own)
# and the row does not measure N cores.
PINNING_SLACK = 1.4
GPOJSON = "/cpay/gpojson?username=bench-paypro&password=bench-pass&startDate=2025/01/01&endDate=2025/12/31"
# The client of the gpojson loop: reads whole answers, one after the other, and prints the
# milliseconds each took.
LOOP = """
import http.client, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
while True:
    t = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("GET", path)
    r = c.getresponse(); r.read(); c.close()
    print(f"{r.status} {(time.perf_counter() - t) * 1000:.1f}", flush=True)
"""


def run(r, cores: list[int], binaries: list[tuple[str, Path]], seconds: int, hol_orders: int) -> dict:
    """`r` is bench/run's module: its servers, wrk driver and fixtures."""
    cpus = sorted(os.sched_getaffinity(0))
    cfg = {"warm": 1, "measure": seconds}
    res = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": r.machine(),
           "seconds": seconds, "hol_orders": hol_orders, "binaries": [b[0] for b in binaries],
           "skipped": [], "runs": {}, "load_before": [round(x, 2) for x in os.getloadavg()]}
    bench_fx = r.write_bench_fixtures(r.OUT / "fixtures" / "cores")
    hol_fx = r.write_bench_fixtures(r.OUT / "fixtures" / "cores-hol",
                                    {"60-orders.json": r.paypro_orders(hol_orders)})
    for n in cores:
        if n > len(cpus):
            r.log(f"cores: {n} skipped, this machine has {len(cpus)} CPUs")
            res["skipped"].append(n)
            continue
        # All the CPUs: wrk shares them with the server (as in the full run), marked in the table.
        shared = n == len(cpus)
        server_cpus = ",".join(map(str, cpus[:n]))
        wrk_cpus = server_cpus if shared else ",".join(map(str, cpus[n:]))
        r.THREADS = 2 if shared else min(len(cpus) - n, 8)
        r.WRK_PREFIX[:] = ["taskset", "-c", wrk_cpus]
        runs = res["runs"].setdefault(f"{n} (shared with wrk)" if shared else str(n),
                                      {"server_cpus": server_cpus, "wrk_cpus": wrk_cpus,
                                       "wrk_threads": r.THREADS})
        if not shared:
            runs["pinned_cpus_used"] = round(pinned_cpus_used(server_cpus, n), 2)
            if runs["pinned_cpus_used"] > n * PINNING_SLACK:
                r.log(f"cores: taskset -c {server_cpus} was not enforced: {2 * n} busy processes pinned "
                      f"to {n} CPUs used {runs['pinned_cpus_used']} CPUs; this row does not measure {n} cores")
        if r.BASELINE_BIN.exists():
            port = r.free_port()
            s = r.Server("bare axum", ["taskset", "-c", server_cpus, r.BASELINE_BIN, port], port).wait_ready(
                path="/")
            gos = r.SCENARIO["paypro gos"]
            runs["bare axum"] = {"paypro gos": r.run_scenario(s, gos, cfg, marker='"status":"ok"',
                                                              fresh_ids=False)}
            s.stop()
        for label, binary in binaries:
            runs[label] = measure(r, label, binary, server_cpus, wrk_cpus, cfg, bench_fx, hol_fx, seconds)
        RESULTS.write_text(json.dumps(res, indent=1) + "\n")
    RESULTS.write_text(json.dumps(res, indent=1) + "\n")
    SVG.write_text(svg(res))
    write_section(section(res))
    return res


def sandbox(r, binary, cpus, fixtures):
    port = r.free_port()
    env = dict(os.environ)
    env.pop("RUST_LOG", None)
    cmd = ["taskset", "-c", cpus, binary, "--host", "127.0.0.1", "--port", port,
           "--database", "sqlite::memory:", "--fixtures", fixtures]
    return r.Server("paysandbox", cmd, port, env)


def pinned_cpus_used(cpu_list: str, n: int, seconds: float = 1.0) -> float:
    """How many CPUs' worth of time 2n busy processes got while pinned to `cpu_list` (n CPUs):
    about n where taskset is enforced, up to 2n where it is not."""
    burn = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"
    before = os.times()
    procs = [subprocess.Popen(["taskset", "-c", cpu_list, sys.executable, "-c", burn]) for _ in range(2 * n)]
    started = time.monotonic()
    for p in procs:
        p.wait()
    wall = time.monotonic() - started
    after = os.times()
    used = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return used / wall


def cpu_seconds(pid) -> float:
    """User + system CPU time the process has used (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured_with_cpu(r, s, sc, cfg) -> dict:
    """`run_scenario`, plus the server's CPU time per good answer over the measured run: on a
    machine shared with other work, req/s falls with the CPU the server is left, while CPU per
    request stays the cost of a request."""
    fresh = sc[1] != "read"
    if fresh:
        r.next_day(s.port)
    w = r.wrk(s.port, sc, cfg["warm"], marker=sc[4], count=40000 if fresh else 2000)
    count = int(w["rps"] * cfg["measure"] * 1.6) + 5000 if fresh else 2000
    before = cpu_seconds(s.pid)
    x = r.wrk(s.port, sc, cfg["measure"], marker=sc[4], count=count)
    x["cpu_us_per_req"] = (cpu_seconds(s.pid) - before) * 1e6 / max(1, x["ok"])
    return x


def measure(r, label, binary, server_cpus, wrk_cpus, cfg, bench_fx, hol_fx, seconds) -> dict:
    out = {}
    s = sandbox(r, binary, server_cpus, bench_fx).wait_ready()
    for name in SCENARIOS:
        sc = r.SCENARIO[name]
        out[name] = measured_with_cpu(r, s, sc, cfg)
        r.log(f"CPUs {server_cpus} {label} {name}: {out[name]['rps']:.0f} req/s, "
              f"p99 {out[name]['p99_us'] / 1000:.2f} ms, {out[name]['cpu_us_per_req']:.1f} µs CPU a request")
    s.stop()
    # Head-of-line: gos at half its rate (and at a tenth), alone and beside a gpojson loop.
    s = sandbox(r, binary, server_cpus, hol_fx).wait_ready(timeout=1800, poll=0.01)
    gos = r.SCENARIO["paypro gos"]
    top = r.run_scenario(s, gos, cfg, marker=gos[4], fresh_ids=False)
    rates = {key: max(1, int(top["rps"] / share)) for key, share in HOL_LOADS}
    count = lambda rate: int(rate * seconds * 1.3) + 2000
    alone = {key: r.wrk(s.port, gos, seconds, rate=rate, marker=gos[4], count=count(rate))
             for key, rate in rates.items()}
    loop = subprocess.Popen(["taskset", "-c", wrk_cpus, "python3", "-c", LOOP, str(s.port), GPOJSON],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    r.PROCS.append(loop)
    time.sleep(1.0)  # the loop's first answers
    beside = {key: r.wrk(s.port, gos, seconds, rate=rate, marker=gos[4], count=count(rate))
              for key, rate in rates.items()}
    r.stop(loop)
    done = [line.split() for line in loop.stdout.read().splitlines()]
    ms = sorted(float(t) for status, t in done if status == "200")
    for key, rate in rates.items():
        out[key] = {"rate": rate, "alone": alone[key], "beside_gpojson": beside[key],
                    "gpojson_done": len(ms), "gpojson_median_ms": ms[len(ms) // 2] if ms else None}
        r.log(f"CPUs {server_cpus} {label} {key}: gos at {rate}/s p99 {alone[key]['p99_us'] / 1000:.2f} ms "
              f"alone, {beside[key]['p99_us'] / 1000:.2f} ms beside {len(ms)} gpojson")
    s.stop()
    return out


def ms(us):
    return f"{us / 1000:.2f}" if us < 100_000 else f"{us / 1000:.0f}"


def section(res) -> str:
    labels = res["binaries"]
    m = res["machine"]
    L = [START, "## Scaling with cores (`bench/run --cores`)", "",
         f"Written on **{res['date']}** — {m.get('cores')} CPUs, {m.get('cpu', '')}. The server is pinned "
         "(taskset) to the first N CPUs, wrk and the gpojson loop to the others; in-memory database, "
         f"32 connections, 1 s warm-up then {res['seconds']} s per figure. *CPU µs/req* is the server's "
         "user + system CPU time over the measured run divided by its good answers: the cost of a "
         "request, which other work on the machine changes far less than req/s. "
         + (f"Load average before the run: {', '.join(map(str, res['load_before']))} (other work on "
            "the machine takes CPU from both sides; compare old and new within one run only). "
            if res.get("load_before") else "")
         + (f"Core counts skipped (not enough CPUs): {', '.join(map(str, res['skipped']))}. "
            if res["skipped"] else "") + "Plot: [scaling.svg](scaling.svg) (dashed: the first binary).", ""]
    cpu = lambda x: f"{x['cpu_us_per_req']:.1f}" if "cpu_us_per_req" in x else "–"
    two = len(labels) > 1
    head = "| cores | scenario | " + " | ".join(f"{b} req/s | {b} p99 ms | {b} CPU µs/req" for b in labels)
    head += (f" | {labels[-1]} / {labels[0]} req/s | {labels[-1]} / {labels[0]} CPU per request |" if two else " |")
    L += [head, "|---|---|" + "---:|" * (3 * len(labels) + (2 if two else 0))]
    for n, runs in res["runs"].items():
        for name in SCENARIOS:
            row = [n, name]
            for b in labels:
                x = runs[b][name]
                row += [f"{x['rps']:.0f}", ms(x["p99_us"]), cpu(x)]
            if two:
                new, old = runs[labels[-1]][name], runs[labels[0]][name]
                row.append(f"{new['rps'] / old['rps']:.2f}×")
                row.append(f"{new['cpu_us_per_req'] / old['cpu_us_per_req']:.2f}×"
                           if "cpu_us_per_req" in new and "cpu_us_per_req" in old else "–")
            L.append("| " + " | ".join(row) + " |")
        if "bare axum" in runs:
            x = runs["bare axum"]["paypro gos"]
            L.append(f"| {n} | bare axum (same gos request) | {x['rps']:.0f} | {ms(x['p99_us'])} |"
                     + " |" * (3 * len(labels) - 2 + (2 if two else 0)))
    L += goals(res)
    L += ["", f"**Head-of-line**: PayPro `gos` at a constant half (and a tenth) of its maximum rate, alone and "
          f"while a loop of `gpojson` over {res['hol_orders']:,} paid orders runs beside it (one request at a time). "
          "*late max* says how late wrk sent a request after its slot (when it is large, the p99 is optimistic, "
          "and wrk, which shares its CPUs with the gpojson loop's client, fell behind).", "",
          "| cores | binary | load | gos req/s | p99 alone ms | p99 beside gpojson ms | p99.9 beside | late max ms "
          "| gpojson done | gpojson median ms |",
          "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n, runs in res["runs"].items():
        for key, share in HOL_LOADS:
            for b in labels:
                h = runs[b].get(key)
                if h is None:
                    continue
                a, g = h["alone"], h["beside_gpojson"]
                L.append(f"| {n} | {b} | 1/{share} | {h['rate']} | {ms(a['p99_us'])} | {ms(g['p99_us'])} | "
                         f"{ms(g['p999_us'])} | {ms(g['late_max_us'])} | {h['gpojson_done']} | "
                         f"{h['gpojson_median_ms'] if h['gpojson_median_ms'] is not None else '–'} |")
    L.append(END)
    return "\n".join(L) + "\n"


def goals(res) -> list[str]:
    """The pinning check, and the issue's scaling goals for the last binary, from the table."""
    L = []
    pinned = [(n, runs["pinned_cpus_used"]) for n, runs in res["runs"].items() if "pinned_cpus_used" in runs]
    if pinned:
        broken = [n for n, used in pinned if used > int(n) * PINNING_SLACK]
        L += ["", "Pinning check (2N busy processes pinned to the server's N CPUs; about N CPUs' worth of "
              "time when taskset holds): " + ", ".join(f"{n} → {used} CPUs" for n, used in pinned) + ". "
              + (f"**taskset was not enforced at {', '.join(broken)} cores: those rows do not measure that "
                 "many cores.**" if broken else "Held at every count.")]
    label = res["binaries"][-1]
    one = res["runs"].get("1", {}).get(label)
    if one is None:
        return L
    L += ["", f"**Goals** ({label}; rate at N cores over its rate at 1 core, and `gos` as a share of bare axum "
          "on the same cores). Goals: at 8 cores " + ", ".join(f"`{name.split()[1]}` ≥ {goal}×"
                                                               for name, goal in SCALING_GOALS.items())
          + f"; `gos` ≥ {GOS_OF_AXUM_GOAL:.0%} of bare axum at every count; `gos` p99 at half load beside "
          f"the gpojson loop ≤ {HOL_GOAL_MS} ms.", "",
          "| cores | " + " | ".join(f"{name.split()[1]} × 1 core" for name in SCALING_GOALS)
          + " | gos % of bare axum |", "|---|" + "---:|" * (len(SCALING_GOALS) + 1)]
    verdicts = []
    for n, runs in res["runs"].items():
        x = runs.get(label)
        if x is None:
            continue
        row = [n] + [f"{x[name]['rps'] / one[name]['rps']:.2f}×" for name in SCALING_GOALS]
        axum = runs.get("bare axum", {}).get("paypro gos")
        share = x["paypro gos"]["rps"] / axum["rps"] if axum else None
        row.append(f"{share:.0%}" if share is not None else "–")
        L.append("| " + " | ".join(row) + " |")
        if share is not None:
            verdicts.append((f"gos {share:.0%} of bare axum at {n}", share >= GOS_OF_AXUM_GOAL))
        half = x.get("head-of-line")
        if half is not None:
            p99 = half["beside_gpojson"]["p99_us"] / 1000
            verdicts.append((f"gos p99 beside gpojson at half load {p99:.2f} ms at {n} (goal ≤ {HOL_GOAL_MS} ms)",
                             p99 <= HOL_GOAL_MS))
        if n == "8":
            verdicts += [(f"{name.split()[1]} {x[name]['rps'] / one[name]['rps']:.2f}× at 8 (goal {goal}×)",
                          x[name]["rps"] / one[name]["rps"] >= goal) for name, goal in SCALING_GOALS.items()]
    if verdicts:
        L += ["", "Met: " + ("; ".join(v for v, ok in verdicts if ok) or "none") + ". Missed: "
              + ("; ".join(v for v, ok in verdicts if not ok) or "none")
              + ("." if "8" in res["runs"] else ". The 8-core goals need a machine with more than 8 CPUs.")]
    return L


def write_section(text: str) -> None:
    path = BENCH / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    if START in old and END in old:
        new = old[:old.index(START)] + text.rstrip("\n") + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def saved_section() -> str:
    """The section again, for a full run that rewrites RESULTS.md."""
    return section(json.loads(RESULTS.read_text())) if RESULTS.exists() else ""


def svg(res) -> str:
    """req/s against cores, one line per scenario and binary (a hand-written SVG)."""
    w, h, pad = 640, 360, 50
    points = {}
    for n, runs in res["runs"].items():
        for b in res["binaries"]:
            for name in SCENARIOS:
                points.setdefault((name, b), []).append((int(n.split()[0]), runs[b][name]["rps"]))
    all_n = sorted({n for pts in points.values() for n, _ in pts}) or [1]
    top = max([v for pts in points.values() for _, v in pts] + [1]) * 1.1
    xs = {n: pad + (w - 2 * pad) * (i + 0.5) / len(all_n) for i, n in enumerate(all_n)}
    y = lambda v: h - pad - (h - 2 * pad) * v / top
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
           f'font-size="11">', f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
           f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
           f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">server cores</text>',
           f'<text x="12" y="{pad - 20}">req/s (max {top / 1.1:.0f})</text>']
    for n, x in xs.items():
        out.append(f'<text x="{x:.0f}" y="{h - pad + 16}" text-anchor="middle">{n}</text>')
    for i in range(5):
        v = top * i / 5
        out.append(f'<text x="{pad - 4}" y="{y(v) + 4:.0f}" text-anchor="end">{v / 1000:.0f}k</text>')
    for k, ((name, b), pts) in enumerate(sorted(points.items())):
        colour = colours[SCENARIOS.index(name) % len(colours)]
        dash = "" if b == res["binaries"][-1] else ' stroke-dasharray="4 3"'
        path = " ".join(f"{xs[n]:.0f},{y(v):.0f}" for n, v in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}"{dash}/>')
        out += [f'<circle cx="{xs[n]:.0f}" cy="{y(v):.0f}" r="3" fill="{colour}"/>' for n, v in pts]
        out.append(f'<text x="{w - pad + 4 - 150}" y="{pad + 14 * k}" fill="{colour}">{name} ({b})</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
