"""murmur from Python: agent-based simulation of word-of-mouth and community marketing.

Every function runs the same engine as the ``murmur`` program, in this process, with
the GIL released while it simulates, and returns a :class:`Result` whose tables are
pandas DataFrames when pandas is installed, else plain dicts of columns::

    import murmur
    r = murmur.run("scenarios/bass_complete.toml", replicates=5)
    r.timeseries            # one row per replicate x tick
    r.summary               # one row per replicate
    r.folder                # the results folder, as the program writes it

A scenario is a path to a TOML file or a dict with the same keys. Keyword arguments
other than the options each function names set scenario keys, as ``--set`` does:
``population__size=500`` or ``**{"population.size": 500}``. Bad input raises
:class:`ScenarioError` (a ``ValueError``) with the program's own message.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _murmur

__all__ = [
    "run",
    "sweep",
    "compare",
    "sensitivity",
    "calibrate",
    "network",
    "Result",
    "MurmurError",
    "ScenarioError",
    "__version__",
]

__version__ = _murmur.version()

Scenario = Union[str, os.PathLike, Mapping[str, Any]]

# Keys whose values are paths, relative to the scenario file's folder. A dict has no
# folder: its relative paths are taken from the current directory, as a user expects.
_PATH_KEYS = (("network", "path"), ("network", "nodes"), ("calibration", "data"))


class MurmurError(RuntimeError):
    """A murmur command failed; ``code`` is the program's exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class ScenarioError(MurmurError, ValueError):
    """Input the user must fix (the program's exit code 2): a malformed scenario or data
    file, a refused results folder, a run too big for the machine."""


class Result:
    """A results folder written by murmur, read on demand.

    ``folder`` is where it lies; ``manifest`` is its manifest.json; every CSV in it is a
    table, by attribute (``r.timeseries``, ``r.summary``, ``r.differences``,
    ``r.sensitivity``, ``r.posterior``, ...) or by :meth:`table`. A result written to a
    temporary folder (no ``out=`` given) keeps it as long as the object lives.
    """

    def __init__(self, folder: Path, keep: Optional[tempfile.TemporaryDirectory] = None):
        self.folder = Path(folder)
        self._keep = keep
        self._tables: Dict[str, Any] = {}

    @property
    def manifest(self) -> Dict[str, Any]:
        """The folder's manifest.json."""
        with open(self.folder / "manifest.json", encoding="utf-8") as f:
            return json.load(f)

    @property
    def tables(self) -> List[str]:
        """The names of the folder's CSV tables (file names without ``.csv``)."""
        return sorted(p.stem for p in self.folder.glob("*.csv"))

    def table(self, name: str, frame: Optional[bool] = None):
        """The CSV table ``name`` (``"timeseries"`` or ``"timeseries.csv"``): a pandas
        DataFrame when ``frame`` is true, or when it is None and pandas is installed;
        otherwise a dict of columns (lists of int, float, str, or None for empty)."""
        stem = name[:-4] if name.endswith(".csv") else name
        path = self.folder / f"{stem}.csv"
        if not path.exists():
            raise KeyError(f"{self.folder} has no {stem}.csv; it has: {', '.join(self.tables)}")
        if frame is None:
            frame = _pandas() is not None
        key = (stem, bool(frame))
        if key not in self._tables:
            self._tables[key] = _read_frame(path) if frame else _read_columns(path)
        return self._tables[key]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if (self.__dict__["folder"] / f"{name}.csv").exists():
            return self.table(name)
        raise AttributeError(f"{name!r}: {self.folder} has no {name}.csv")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        kind = self.manifest.get("kind", "?")
        return f"<murmur.Result {kind} in {self.folder}: {', '.join(self.tables)}>"


def run(
    scenario: Scenario,
    *,
    out: Optional[Union[str, os.PathLike]] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    agents: bool = False,
    shard: Optional[str] = None,
    resume: bool = False,
    quiet: bool = True,
    **settings: Any,
) -> Result:
    """Runs a scenario (a run, or a sweep when it has a ``[sweep]`` table), as
    ``murmur run``. ``settings`` set scenario keys (``ticks=90``,
    ``population__size=500``)."""
    with _Scenarios([scenario]) as (path,):
        args = ["run", path]
        args += _flag("--agents", agents) + _flag("--resume", resume)
        args += _option("--shard", shard)
        return _command(args, out, replicates, seed, threads, quiet, settings)


def sweep(
    scenario: Scenario,
    parameters: Optional[Mapping[str, Iterable[Any]]] = None,
    *,
    kind: str = "grid",
    samples: Optional[int] = None,
    out: Optional[Union[str, os.PathLike]] = None,
    **options: Any,
) -> Result:
    """Runs a sweep: the scenario's own ``[sweep]`` table, or one made of
    ``parameters`` (``{"strategy.community.recruitment": [0.001, 0.002]}``; a range
    ``[low, high]`` with ``kind="latin_hypercube"`` and ``samples``). Other options as
    :func:`run`. ``r.points`` lists the points; ``r.summary`` has one row per point and
    replicate."""
    table = None
    if parameters is not None:
        table = {"kind": kind, "parameters": {k: list(v) for k, v in parameters.items()}}
        if samples is not None:
            table["samples"] = samples
    return run(_with_table(scenario, "sweep", table), out=out, **options)


def compare(
    *scenarios: Scenario,
    out: Optional[Union[str, os.PathLike]] = None,
    early: Optional[int] = None,
    attribute: bool = False,
    uncertain: Optional[int] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    quiet: bool = True,
    **settings: Any,
) -> Result:
    """Compares two or more scenarios on the same network and random numbers, as
    ``murmur compare``: ``r.differences`` holds the paired differences against the
    first; ``attribute=True`` adds ``r.attribution``, ``uncertain=N`` adds
    ``r.robustness``."""
    if len(scenarios) < 2:
        raise ScenarioError("compare needs at least two scenarios", 2)
    with _Scenarios(scenarios) as paths:
        args = ["compare", *paths]
        args += _option("--early", early) + _flag("--attribute", attribute)
        args += _option("--uncertain", uncertain)
        return _command(args, out, replicates, seed, threads, quiet, settings)


def sensitivity(
    scenario: Scenario,
    parameters: Optional[Mapping[str, Iterable[float]]] = None,
    *,
    method: Optional[str] = None,
    samples: Optional[int] = None,
    out: Optional[Union[str, os.PathLike]] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    quiet: bool = True,
    **settings: Any,
) -> Result:
    """Global sensitivity analysis, as ``murmur sensitivity``: Sobol' indices
    (``method="sobol"``) or Morris screening (``"morris"``) over ``parameters``'
    ranges, else the scenario's ``[sensitivity]`` table, else the catalogue's
    plausible ranges. ``r.sensitivity`` holds the indices."""
    table = _table(parameters=parameters, method=method, samples=samples)
    with _Scenarios([_with_table(scenario, "sensitivity", table)]) as (path,):
        args = ["sensitivity", path]
        return _command(args, out, replicates, seed, threads, quiet, settings)


def calibrate(
    scenario: Scenario,
    data: Optional[Union[str, os.PathLike]] = None,
    parameters: Optional[Mapping[str, Iterable[float]]] = None,
    *,
    fit: Optional[Iterable[str]] = None,
    particles: Optional[int] = None,
    generations: Optional[int] = None,
    out: Optional[Union[str, os.PathLike]] = None,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    quiet: bool = True,
    **settings: Any,
) -> Result:
    """Fits parameters to an observed series, as ``murmur calibrate``: ``data`` is a CSV
    with a ``tick`` column and output columns, ``parameters`` the prior ranges (else the
    scenario's ``[calibration]`` table); ``particles`` and ``generations`` size the
    ABC-SMC run. ``r.posterior`` holds the accepted samples, ``r.calibration`` each
    parameter's mean and 95% interval, and ``r.folder / "calibrated.toml"`` the fitted
    scenario."""
    table = _table(
        parameters=parameters,
        fit=None if fit is None else list(fit),
        particles=particles,
        generations=generations,
    )
    with _Scenarios([_with_table(scenario, "calibration", table)]) as (path,):
        args = ["calibrate", path]
        if data is not None:
            args += ["--data", os.fspath(Path(data).resolve())]
        return _command(args, out, replicates, seed, threads, quiet, settings)


def network(
    scenario: Scenario,
    *,
    out: Optional[Union[str, os.PathLike]] = None,
    seed: Optional[int] = None,
    quiet: bool = True,
    **settings: Any,
) -> Result:
    """Builds a scenario's network (its first replicate's) without running the model,
    as ``murmur network``: ``r.edges`` and ``r.nodes`` (with communities, degrees and a
    node file's attributes), and ``r.folder / "network.graphml"`` for Gephi, Cytoscape
    or ``networkx.read_graphml``."""
    with _Scenarios([scenario]) as (path,):
        return _command(["network", path], out, None, seed, None, quiet, settings, False)


# ---------------------------------------------------------------------------------
# How a call becomes a murmur command.


def _command(args, out, replicates, seed, threads, quiet, settings, takes_quiet=True) -> Result:
    keep = None
    if out is None:
        keep = tempfile.TemporaryDirectory(prefix="murmur-")
        folder = Path(keep.name) / "results"
    else:
        folder = Path(out)
    args = list(args) + ["--out", os.fspath(folder)]
    args += _option("--replicates", replicates) + _option("--seed", seed)
    args += _option("--threads", threads) + _flag("--quiet", quiet and takes_quiet)
    for key, value in settings.items():
        args += ["--set", f"{key.replace('__', '.')}={_toml_literal(key, value)}"]
    code, message = _murmur.main(args, not quiet)
    for path, name in _DICT_NAMES.items():
        # A dict has no lines: the key names the place.
        message = re.sub(
            re.escape(f"scenario {path}") + r"(, line \d+)?", f"scenario dict {name!r}", message
        )
    if code == 2:
        raise ScenarioError(message, code)
    if code != 0:
        raise MurmurError(message, code)
    return Result(folder, keep)


def _flag(name: str, on: bool) -> List[str]:
    return [name] if on else []


def _option(name: str, value: Any) -> List[str]:
    return [] if value is None else [name, str(value)]


def _table(**entries: Any) -> Optional[Dict[str, Any]]:
    table = {k: v for k, v in entries.items() if v is not None}
    if "parameters" in table:
        table["parameters"] = {k: list(v) for k, v in table["parameters"].items()}
    return table or None


def _toml_literal(key: str, value: Any) -> str:
    """A Python value as the TOML literal ``--set`` reads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(f"--set {key}: {value} is not a finite number", 2)
    if isinstance(value, (int, float, str, list, tuple)):
        return json.dumps(value)
    raise ScenarioError(
        f"--set {key}: a {type(value).__name__} cannot be a scenario value "
        "(use a number, string, boolean or list)",
        2,
    )


def _with_table(scenario: Scenario, name: str, table: Optional[Dict[str, Any]]) -> Scenario:
    """The scenario with its ``[name]`` table replaced by ``table`` (when given)."""
    if table is None:
        return scenario
    if isinstance(scenario, Mapping):
        merged = dict(scenario)
    else:
        import tomllib  # Python 3.11+; a path with a table argument needs it

        path = Path(scenario)
        with open(path, "rb") as f:
            merged = tomllib.load(f)
        _absolute_paths(merged, path.resolve().parent)
        merged.setdefault("name", path.stem)
    own = dict(merged.get(name) or {})
    own.update(table)
    merged[name] = own
    return merged


def _absolute_paths(scenario: Dict[str, Any], base: Path) -> None:
    for table, key in _PATH_KEYS:
        section = scenario.get(table)
        if isinstance(section, dict) and isinstance(section.get(key), str):
            section[key] = os.fspath((base / section[key]).resolve())


# Temporary files of dict scenarios, by path: errors name the dict, not the file.
_DICT_NAMES: Dict[str, str] = {}


class _Scenarios:
    """Paths for scenarios given as paths or dicts: a dict is written as TOML into a
    temporary folder for the length of the command."""

    def __init__(self, scenarios: Iterable[Scenario]):
        self._scenarios = list(scenarios)
        self._tmp: Optional[tempfile.TemporaryDirectory] = None

    def __enter__(self):
        paths = []
        for i, s in enumerate(self._scenarios):
            if isinstance(s, Mapping):
                if self._tmp is None:
                    self._tmp = tempfile.TemporaryDirectory(prefix="murmur-scenario-")
                scenario = json.loads(json.dumps(s))  # a deep copy of plain values
                _absolute_paths(scenario, Path.cwd())
                name = scenario.get("name", f"scenario-{i + 1}")
                path = Path(self._tmp.name) / f"{i + 1}-{_slug(str(name))}.toml"
                path.write_text(_murmur.toml_from_json(json.dumps(scenario)), encoding="utf-8")
                paths.append(os.fspath(path))
                _DICT_NAMES[os.fspath(path)] = str(name)
            else:
                paths.append(os.fspath(s))
        return paths

    def __exit__(self, *exc):
        for path in [p for p in _DICT_NAMES if self._tmp and p.startswith(self._tmp.name)]:
            _DICT_NAMES.pop(path, None)
        if self._tmp is not None:
            self._tmp.cleanup()
        return False


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:40] or "scenario"


# ---------------------------------------------------------------------------------
# Reading tables.

_PANDAS_LOCK = threading.Lock()
_PANDAS: List[Any] = []


def _pandas():
    with _PANDAS_LOCK:
        if not _PANDAS:
            try:
                import pandas
            except ImportError:
                pandas = None
            _PANDAS.append(pandas)
        return _PANDAS[0]


def _read_frame(path: Path):
    pandas = _pandas()
    if pandas is None:
        raise ImportError("frame=True needs pandas: pip install pandas")
    return pandas.read_csv(path)


def _read_columns(path: Path) -> Dict[str, list]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        columns: Dict[str, list] = {name: [] for name in header}
        for row in reader:
            for name, cell in zip(header, row):
                columns[name].append(_cell(cell))
    return columns


def _cell(cell: str):
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell
