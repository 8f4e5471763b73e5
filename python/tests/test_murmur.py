"""murmur's Python package: the engine's results, errors and conventions from Python.

Run with ``pytest python/tests`` after ``pip install ./python`` (``.ci/run`` does)."""

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

import murmur

ROOT = Path(__file__).resolve().parents[2]
BASS = ROOT / "scenarios" / "bass_complete.toml"

TINY = {
    "name": "tiny-bass",
    "ticks": 40,
    "seed": 11,
    "replicates": 3,
    "population": {"size": 300},
    "network": {"kind": "complete"},
    "model": {"kind": "bass", "p": 0.01, "q": 0.3},
}

try:
    import pandas  # noqa: F401

    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False


def test_run_returns_the_programs_tables():
    r = murmur.run(BASS, replicates=5)
    ts = r.table("timeseries", frame=False)
    summary = r.table("summary", frame=False)
    ticks = r.manifest["scenario"]["ticks"]
    assert sorted(set(ts["replicate"])) == [0, 1, 2, 3, 4]
    assert len(ts["tick"]) == 5 * (ticks + 1)
    assert summary["replicate"] == [0, 1, 2, 3, 4]
    # Every agent adopts in a complete-graph Bass run of 2,000 agents.
    assert all(a >= 1990 for a in summary["final_adopters"])
    assert r.manifest["replicates"] == 5
    assert (r.folder / "report.html").exists()


def test_the_same_scenario_as_a_dict_or_a_file_gives_the_same_numbers(tmp_path):
    text = murmur._murmur.toml_from_json(__import__("json").dumps(TINY))
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    a = murmur.run(TINY, out=tmp_path / "from-dict")
    b = murmur.run(path, out=tmp_path / "from-file")
    for name in ("timeseries.csv", "summary.csv"):
        assert (a.folder / name).read_bytes() == (b.folder / name).read_bytes()


def test_keyword_settings_set_scenario_keys_as_set_does():
    r = murmur.run(TINY, population__size=120, **{"ticks": 10, "model.q": 0.5})
    scenario = r.manifest["scenario"]
    assert scenario["population"]["size"] == 120
    assert scenario["ticks"] == 10
    assert scenario["model"]["q"] == 0.5
    assert len(r.table("timeseries", frame=False)["tick"]) == 3 * 11


def test_bad_input_raises_scenario_error_with_the_programs_message():
    with pytest.raises(murmur.ScenarioError) as e:
        murmur.run(BASS, **{"network.mean_degre": 3})
    message = str(e.value)
    assert e.value.code == 2
    assert isinstance(e.value, ValueError)
    assert "unknown key `mean_degre` in [network]" in message
    assert "Did you mean `mean_degree`?" in message
    # A dict's errors name the dict and its key, not a temporary file or its lines.
    bad = dict(TINY, model={"kind": "bas"})
    with pytest.raises(murmur.ScenarioError) as e:
        murmur.run(bad)
    assert "scenario dict 'tiny-bass', key `model.kind`" in str(e.value)
    assert ", line " not in str(e.value)
    assert "Did you mean `bass`?" in str(e.value)


def test_the_program_prints_the_same_message(tmp_path):
    exe = os.environ.get("MURMUR_EXE")
    if not exe:
        pytest.skip("MURMUR_EXE (the murmur program) not given")
    with pytest.raises(murmur.ScenarioError) as e:
        murmur.run(BASS, **{"network.mean_degre": 3})
    cli = subprocess.run(
        [exe, "run", str(BASS), "--set", "network.mean_degre=3", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 2
    assert cli.stderr.strip() == f"murmur: {e.value}"


def test_a_refused_folder_is_left_untouched(tmp_path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("my work")
    with pytest.raises(murmur.ScenarioError) as e:
        murmur.run(TINY, out=thesis)
    assert "chapter1.tex" in str(e.value)
    assert (thesis / "chapter1.tex").read_text() == "my work"
    assert sorted(p.name for p in thesis.iterdir()) == ["chapter1.tex"]


def test_sweep_builds_its_table_from_parameters():
    r = murmur.sweep(TINY, {"model.q": [0.1, 0.5]}, replicates=2)
    points = r.table("points", frame=False)
    assert points["model.q"] == [0.1, 0.5]
    summary = r.table("summary", frame=False)
    assert summary["point"] == [0, 0, 1, 1]
    # Stronger imitation spreads faster: an earlier half-adoption tick at q = 0.5.
    half = dict(zip(zip(summary["point"], summary["replicate"]), summary["half_tick"]))
    assert half[(1, 0)] < half[(0, 0)]


def test_compare_returns_paired_differences():
    slow = dict(TINY, name="slow")
    fast = dict(TINY, name="fast", model={"kind": "bass", "p": 0.01, "q": 0.6})
    r = murmur.compare(slow, fast, replicates=4)
    d = r.table("differences", frame=False)
    rows = [i for i, m in enumerate(d["metric"]) if m == "peak_tick"]
    assert [d["scenario"][i] for i in rows] == ["fast"]
    # Stronger imitation peaks earlier, on the same random numbers.
    assert d["difference"][rows[0]] < 0
    assert d["high"][rows[0]] < 0


def test_sensitivity_finds_the_parameter_that_matters():
    r = murmur.sensitivity(
        TINY,
        {"model.q": [0.1, 0.6], "model.p": [0.005, 0.02]},
        method="morris",
        samples=6,
        replicates=1,
    )
    s = r.table("sensitivity", frame=False)
    rows = {p: i for i, (m, p) in enumerate(zip(s["metric"], s["parameter"])) if m == "peak_tick"}
    assert set(rows) == {"model.q", "model.p"}
    assert s["mu_star"][rows["model.q"]] > 0


def test_calibrate_recovers_the_imitation_parameter(tmp_path):
    # An adoption curve murmur made with q = 0.3, observed every 4 ticks.
    truth = murmur.run(TINY, replicates=1, seed=2026)
    ts = truth.table("timeseries", frame=False)
    data = tmp_path / "observed.csv"
    rows = [f"{t},{a}" for t, a in zip(ts["tick"], ts["adopters"]) if t % 4 == 0]
    data.write_text("tick,adopters\n" + "\n".join(rows) + "\n")
    r = murmur.calibrate(
        TINY, data, {"model.q": [0.05, 0.8]}, particles=60, generations=4, replicates=1
    )
    posterior = r.table("posterior", frame=False)
    assert len(posterior["model.q"]) == 60
    assert abs(sum(posterior["weight"]) - 1.0) < 1e-9
    summary = r.table("calibration", frame=False)
    assert summary["parameter"] == ["model.q"]
    low, high, mean = summary["low"][0], summary["high"][0], summary["mean"][0]
    assert low <= 0.3 <= high, (low, high)
    assert abs(mean - 0.3) < 0.1, mean
    # The calibrated scenario runs as it is.
    again = murmur.run(r.folder / "calibrated.toml", replicates=2)
    assert again.manifest["scenario"]["model"]["q"] == pytest.approx(mean)


def test_network_exports_what_networkx_reads_back():
    nx = pytest.importorskip("networkx")
    r = murmur.network(ROOT / "scenarios" / "email_eu_core.toml")
    edges, nodes = r.table("edges", frame=False), r.table("nodes", frame=False)
    # SNAP's email-Eu-core: 1,005 members, 25,571 lines less 642 self-loops, 42 departments.
    assert len(nodes["id"]) == 1005
    assert len(edges["source"]) == 24929
    assert len(set(nodes["community"])) == 42
    g = nx.read_graphml(r.folder / "network.graphml", node_type=int)
    assert g.is_directed()
    assert (g.number_of_nodes(), g.number_of_edges()) == (1005, 24929)
    for v, community, degree in zip(nodes["id"], nodes["community"], nodes["degree"]):
        assert g.nodes[v]["community"] == community
        assert g.out_degree(v) == degree


@pytest.mark.skipif(not HAVE_PANDAS, reason="pandas not installed")
def test_tables_are_dataframes_with_pandas():
    r = murmur.run(TINY)
    assert isinstance(r.timeseries, pandas.DataFrame)
    assert list(r.summary["replicate"]) == [0, 1, 2]
    means = r.timeseries.groupby("tick")["adopters"].mean()
    assert means.is_monotonic_increasing


def test_plain_columns_without_pandas():
    r = murmur.run(TINY)
    columns = r.table("summary", frame=False)
    assert isinstance(columns, dict)
    assert columns["replicate"] == [0, 1, 2]
    assert all(isinstance(v, int) for v in columns["final_adopters"])


def test_the_gil_is_released_while_murmur_runs():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = len(ticks)
        started = time.perf_counter()
        murmur.run(BASS, replicates=40, threads=1)
        elapsed = time.perf_counter() - started
        during = len(ticks) - before
    finally:
        stop.set()
        counter.join()
    # Holding the GIL would stall the counter for the whole call; released, it keeps
    # counting (sleeps of 1 ms: at least a fifth of the possible counts).
    assert elapsed > 0.05, "the run was too short to tell"
    assert during > 0.2 * elapsed / 0.001 * 0.5, (during, elapsed)
