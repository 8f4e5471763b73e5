#!/usr/bin/env python3
"""murmur against cynetdiff, side by side, on the SAME graphs (issue 13).

Run with the peers' venv (bash /work/shared/peers/setup.sh /tmp/peers):

  /tmp/peers/bin/python bench/peers.py --murmur target/release/murmur --quick
  /tmp/peers/bin/python bench/peers.py --murmur target/release/murmur --full --threads 1,2

Per graph size it builds ONE Barabasi-Albert graph (networkx, m = 5, seed 42, as
/work/shared/peers/ic_bench.py does), writes it as an edge list, and for each row of
the table (IC p = 0.0001 and p = 0.05, LT; n = 100k and 1M):

  * cynetdiff: one model built once (IC on the undirected graph, LT on
    G.to_directed(), both as ic_bench.py), then R replicates with k = 10 distinct
    random seeds each (numpy.default_rng(1000 + r), as ic_bench.py), timed as one
    batch (set_seeds + advance_until_completion + get_num_activated_nodes): cost per
    replicate = batch time / R. Model construction is left out, as ic_bench.py does.
  * murmur, in two ways:
    - in-process, as cynetdiff is timed: `murmur bench --network FILE --cascades-only`
      reads the same file once and times a batch of R cascades (k = 10 random seeds
      each, drawn by murmur's own streams, run until they die; replicates side by
      side over the threads): cost per replicate = batch time / R. This is the column
      to read against cynetdiff, which also keeps only each replicate's final count.
    - as whole runs (left out with --engine-only): a generated scenario
      ([network] kind = "edge_list" on the same file) run as `murmur run` processes
      with R and with 2R replicates: cost per replicate = (T(2R) - T(R)) / R, the
      marginal cost of a replicate including storing it and writing its rows of
      summary.csv and timeseries.csv (one row per tick), plots and report; reading the
      edge list and building the network cancel out.

Repeats are interleaved (cynetdiff, murmur R, murmur 2R, then again) and the figures
are medians over repeats. ratio = cynetdiff / murmur per replicate (> 1: murmur
faster). Agreement: mean final active count of each tool over its replicates (murmur:
the in-process batch's, which counts the seeds) with a z-score of the difference.
murmur's ticks bound a cascade's length and murmur writes a row per replicate and tick:
by default the script runs murmur for twice the longest cascade of a probe run (R
replicates, 1000 ticks), and checks that every timed murmur cascade had died out before
its last tick (`unfinished` counts those that had not).

At 1M agents murmur's process spends seconds reading the edge list, whose jitter on a
shared machine enters (T(2R) - T(R)) / R: there, prefer --full (larger R, more
repeats) and read the per-repeat figures in the JSON.

Output: the table on stdout (markdown) and, with --json FILE, every figure as JSON.
"""
import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import networkx as nx
import numpy as np

ROWS = [
    ("ic", 100_000, 0.0001),
    ("ic", 1_000_000, 0.0001),
    ("ic", 100_000, 0.05),
    ("ic", 1_000_000, 0.05),
    ("lt", 100_000, None),
    ("lt", 1_000_000, None),
]


def seed_sets(n, k, R, base=1000):
    return [
        [int(x) for x in np.random.default_rng(base + r).choice(n, size=k, replace=False)]
        for r in range(R)
    ]


def build_graph(n, m, path):
    t0 = time.perf_counter()
    G = nx.barabasi_albert_graph(n, m, seed=42)
    with open(path, "w") as f:
        f.write(f"# networkx.barabasi_albert_graph({n}, {m}, seed=42), undirected\n")
        f.writelines(f"{u} {v}\n" for u, v in G.edges())
    print(f"# graph n={n} m={m} edges={G.number_of_edges()} "
          f"built+written in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return G


class Cynetdiff:
    """One cynetdiff model per row, built once."""

    def __init__(self, G, model, p):
        from cynetdiff.utils import networkx_to_ic_model, networkx_to_lt_model

        if model == "ic":
            self.model, self.mapping = networkx_to_ic_model(G, activation_prob=p, rng=1007)
        else:
            D = G.to_directed()
            self.model, self.mapping = networkx_to_lt_model(D, rng=1007)

    def batch(self, seeds_list):
        """Seconds for the whole batch, and each replicate's final active count."""
        m, mapping = self.model, self.mapping
        counts = []
        t0 = time.perf_counter()
        for seeds in seeds_list:
            m.set_seeds([mapping[s] for s in seeds])
            m.advance_until_completion()
            counts.append(m.get_num_activated_nodes())
        return time.perf_counter() - t0, counts


def scenario_text(model, n, p, k, ticks, edges):
    lines = [
        f'name = "peers-{model}-{n}"',
        f"ticks = {ticks}",
        "seed = 11",
        "replicates = 1",
        "",
        "[population]",
        f"size = {n}",
        "",
        "[network]",
        'kind = "edge_list"',
        f'path = "{os.path.basename(edges)}"',
        "",
        "[model]",
    ]
    if model == "ic":
        lines += ['kind = "independent_cascade"', f"probability = {p}"]
    else:
        lines += ['kind = "linear_threshold"']
    lines += [f"seeds = {k}", 'seeding = "random"', ""]
    return "\n".join(lines)


def cascade_length(exe, toml, out, R, threads):
    """The longest cascade (last tick with a new adopter) of R replicates run with a
    generous horizon."""
    murmur_run(exe, toml, out, R, threads)
    longest = 0
    with open(os.path.join(out, "timeseries.csv")) as f:
        for r in csv.DictReader(f):
            if int(float(r["new_adopters"])) > 0:
                longest = max(longest, int(r["tick"]))
    return longest


def murmur_run(exe, toml, out, R, threads):
    """Wall seconds of one whole `murmur run` process with R replicates."""
    cmd = [exe, "run", toml, "--out", out, "--replicates", str(R), "--quiet",
           "--progress", "never"]
    if threads:
        cmd += ["--threads", str(threads)]
    # A fresh folder each time: replacing an old one would add checking it (murmur
    # verifies a folder's checksums before replacing it), which is not a replicate's cost.
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"murmur failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return dt


def murmur_counts(out, ticks):
    """Final adopters per replicate, and how many cascades were still spreading at the
    last tick."""
    with open(os.path.join(out, "summary.csv")) as f:
        finals = [int(float(r["final_adopters"])) for r in csv.DictReader(f)]
    unfinished = 0
    with open(os.path.join(out, "timeseries.csv")) as f:
        for r in csv.DictReader(f):
            if int(r["tick"]) == ticks and int(float(r["new_adopters"])) > 0:
                unfinished += 1
    return finals, unfinished


def murmur_engine(exe, edges, model, p, R, threads, out):
    """murmur's in-process cost per replicate of a batch of R cascades on the edge
    list (`murmur bench --network --cascades-only`: the network is read once and left
    out of the timing, as cynetdiff's model construction is), and the batch's mean
    final active count with its standard error."""
    cmd = [exe, "bench", "--network", edges, "--cascades-only", "--repeats", "1",
           "--cascades", str(R), "--cascade", model, "--out", out]
    if model == "ic":
        cmd += ["--probability", str(p)]
    if threads:
        cmd += ["--threads", str(threads)]
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"murmur failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    with open(os.path.join(out, "bench.json")) as f:
        report = json.load(f)
    cascade = report["figures"][-1]
    reach = report["cascade"]
    return cascade["seconds"], reach["mean_active"], reach["standard_error"]


def mean_se(xs):
    mean = statistics.fmean(xs)
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return mean, sd / math.sqrt(len(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--murmur", default="target/release/murmur")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="about 0.3 s batches, 3 repeats (default)")
    mode.add_argument("--full", action="store_true", help="about 2 s batches, 7 repeats")
    ap.add_argument("--threads", default="2", help="murmur --threads, comma list (e.g. 1,2)")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--m", type=int, default=5)
    ap.add_argument("--ticks", type=int, default=0,
                    help="murmur's ticks; 0 (default): twice the longest cascade of a probe run")
    ap.add_argument("--json", default=None)
    ap.add_argument("--engine-only", action="store_true",
                    help="time murmur in-process only (murmur bench), not whole runs")
    ap.add_argument("--work", default=None, help="folder for graphs and results (default: a temporary one)")
    a = ap.parse_args()

    batch_s, repeats, max_r = (2.0, 7, 200_000) if a.full else (0.3, 3, 50_000)
    threads = [int(t) for t in a.threads.split(",")]
    sizes = [int(s) for s in a.sizes.split(",")]
    exe = os.path.abspath(a.murmur)
    work = a.work or tempfile.mkdtemp(prefix="murmur-peers-")
    os.makedirs(work, exist_ok=True)
    results = []
    for n in sizes:
        edges = os.path.join(work, f"ba-{n}.txt")
        G = build_graph(n, a.m, edges)
        for model, rn, p in ROWS:
            if rn != n:
                continue
            cy = Cynetdiff(G, model, p)
            # Calibrate R so a cynetdiff batch takes about batch_s.
            probe = seed_sets(n, a.k, 20)
            dt, _ = cy.batch(probe)
            R = int(min(max_r, max(50, batch_s / max(dt / len(probe), 1e-7))))
            seeds_list = seed_sets(n, a.k, R)
            toml = os.path.join(work, f"{model}-{n}-{p}.toml")
            out1 = os.path.join(work, "out-r")
            out2 = os.path.join(work, "out-2r")
            ticks = a.ticks
            if ticks == 0 and not a.engine_only:
                # Twice the longest cascade of a probe (different replicates from the
                # timed ones only in number), so every timed cascade dies out in time.
                with open(toml, "w") as f:
                    f.write(scenario_text(model, n, p, a.k, 1000, edges))
                longest = cascade_length(exe, toml, out1, min(R, 2000), threads[-1])
                ticks = max(10, 2 * longest)
            with open(toml, "w") as f:
                f.write(scenario_text(model, n, p, a.k, ticks, edges))
            cy_times, mm = [], {t: ([], []) for t in threads}
            engine = {t: [] for t in threads}
            cy_counts, reach = None, None
            for _ in range(repeats):
                dt, counts = cy.batch(seeds_list)
                cy_times.append(dt / R)
                cy_counts = counts
                for t in threads:
                    per, mean, se = murmur_engine(exe, edges, model, p, R, t,
                                                  os.path.join(work, "out-bench"))
                    engine[t].append(per)
                    reach = (mean, se)
                    if a.engine_only:
                        continue
                    t1 = murmur_run(exe, toml, out1, R, t)
                    t2 = murmur_run(exe, toml, out2, 2 * R, t)
                    mm[t][0].append((t2 - t1) / R)
                    mm[t][1].append(t1)
            unfinished = 0
            if not a.engine_only:
                _, unfinished = murmur_counts(out2, ticks)
            cm, cse = mean_se(cy_counts)
            mmean, mse = reach
            se = math.hypot(cse, mse)
            row = {
                "model": model, "n": n, "edges": G.number_of_edges(), "p": p, "k": a.k,
                "R": R, "repeats": repeats, "ticks": ticks,
                "cynetdiff_us": statistics.median(cy_times) * 1e6,
                "cynetdiff_us_all": [x * 1e6 for x in cy_times],
                "cynetdiff_mean_active": cm, "cynetdiff_se": cse,
                "murmur_mean_active": mmean, "murmur_se": mse,
                "z": (mmean - cm) / se if se > 0 else 0.0,
                "murmur_unfinished": unfinished,
                "murmur": {},
            }
            cy_med = statistics.median(cy_times)
            for t in threads:
                eng = statistics.median(engine[t])
                row["murmur"][t] = {
                    "engine_us": eng * 1e6,
                    "engine_us_all": [x * 1e6 for x in engine[t]],
                    "engine_ratio": cy_med / eng if eng > 0 else float("inf"),
                }
                if not a.engine_only:
                    med = statistics.median(mm[t][0])
                    row["murmur"][t].update({
                        "us": med * 1e6,
                        "us_all": [x * 1e6 for x in mm[t][0]],
                        "run_R_s": statistics.median(mm[t][1]),
                        "ratio": cy_med / med if med > 0 else float("inf"),
                    })
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            del cy

    head = "| row | R | ticks | cynetdiff µs/rep |"
    rule = "| --- | ---: | ---: | ---: |"
    for t in threads:
        head += f" murmur {t}T µs/rep | ratio {t}T |"
        rule += " ---: | ---: |"
        if not a.engine_only:
            head += f" whole run {t}T µs/rep | ratio {t}T |"
            rule += " ---: | ---: |"
    head += " mean active cynetdiff / murmur | z |"
    rule += " ---: | ---: |"
    print(head)
    print(rule)
    for r in results:
        name = (f"IC n={r['n']:,} p={r['p']}" if r["model"] == "ic" else f"LT n={r['n']:,}")
        ticks = r["ticks"] if r["ticks"] else "until dead"
        line = f"| {name} | {r['R']} | {ticks} | {r['cynetdiff_us']:.2f} |"
        for t in threads:
            m = r["murmur"][t]
            line += f" {m['engine_us']:.2f} | {m['engine_ratio']:.1f}× |"
            if not a.engine_only:
                line += f" {m['us']:.2f} | {m['ratio']:.1f}× |"
        line += (f" {r['cynetdiff_mean_active']:.1f} / {r['murmur_mean_active']:.1f} |"
                 f" {r['z']:+.2f} |")
        if r["murmur_unfinished"]:
            line += f" ({r['murmur_unfinished']} murmur cascades unfinished at tick {r['ticks']})"
        print(line)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": results, "threads": threads, "murmur": exe}, f, indent=1)


if __name__ == "__main__":
    main()
