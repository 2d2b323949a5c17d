"""Dashboard load test: concurrent signed-in users over real HTTP (issue 16, item 3).

The production server (gunicorn, 2 workers × 4 threads, as ``make dashboard`` runs it)
serves the published snapshot on a random loopback port, with its warm-up, and with
accounts made for the run by ``csc-users add`` in a temporary auth folder (random
password from stdin, production argon2id cost). Once both workers have warmed, locust
runs headless for ``--seconds`` with ``--users`` virtual users (``bench/locustfile.py``):
board members (scorecard, KPI page, missing page) and a district's managers (district
page, RHI action list, KPI page), each signed in through the real sign-in form (CSRF
token, form POST), each page view being the page's HTML, the Pages router callback that
renders it and the shell's banner callback, 1 to 3 s of think time between views.

Reported per request type: count, failures, p50/p95/p99 (ms); for the page requests
taken together (every part of a page view, not the sign-ins: the goal's figure), their
p50/p95/p99 from each request's time; the RSS of each gunicorn
worker (largest seen, sampled each second, and at the end); and, unless ``--no-compare``,
the same run against a server whose sign-in layer is taken off (``unsigned_server``: no
gate, session, security headers; each request reads as the user its ``X-Bench-User``
header names): the difference is what signing in costs a page under load. One run on a
shared machine: figures and ratios, not assertions.

    python -m bench.dashboard_load [--snapshot PATH] [--la 850] [--users 25]
                                   [--seconds 60] [--out bench/results/dashboard_load.json]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
#: name -> (role, whether it is scoped to the district under test)
ACCOUNTS = {"load-board": ("board", False), "load-manager": ("manager", True)}
#: Request types of a page view, the figure the dashboard's goal is about.
PAGE_PARTS = (": page", ": banner", ": html")


def unsigned_server():
    """gunicorn factory (the comparison run only): the production server with its sign-in
    layer taken off, each request reading as the account its ``X-Bench-User`` names (with
    that account's roles and scope, from the run's auth folder)."""
    import flask

    from bench.dashboard import sign_in_off
    from dashboards.app import create_server

    server = create_server()
    store = server.extensions["csc_auth"].store
    people = {name: store.get(name).principal() for name in ACCOUNTS}

    class _App:  # what sign_in_off needs of a Dash app
        pass

    app = _App()
    app.server = server
    stack = contextlib.ExitStack()
    stack.enter_context(
        sign_in_off(app, lambda: people[flask.request.headers.get("X-Bench-User", "")])
    )
    server.extensions["csc_bench_unsigned"] = stack  # kept for the life of the worker
    return server


def _samples(snapshot: Path, la: str) -> dict[str, str]:
    """A KPI and a district of ``la`` for the pages under test (read as a service)."""
    from dashboards import data
    from dashboards.auth import Access, acting_as, service

    with data.use_snapshot(snapshot), acting_as(service("bench", Access.AGGREGATES)):
        kpis = list(data.latest_values(la)["kpi_id"])
        districts = data.districts(la)
    if not kpis or not districts:
        raise RuntimeError(f"LA {la} has no KPI values or districts in {snapshot}")
    kpi = "rhi_offered_pct" if "rhi_offered_pct" in kpis else kpis[0]
    counts = {}
    with data.use_snapshot(snapshot), acting_as(service("bench", Access.CHILD_LEVEL)):
        rhi = data.action_rhi(la)
    if "district" in rhi.columns:
        counts = rhi["district"].value_counts().to_dict()
    named = [d for d in districts if d not in data.TRAILING_DISTRICTS] or districts
    district = max(named, key=lambda d: counts.get(d, 0))  # the busiest action list
    return {"kpi": kpi, "district": district}


def _add_accounts(auth: Path, la: str, district: str, password: str) -> None:
    """The run's accounts, made by ``csc-users add`` (password on stdin)."""
    csc_users = Path(sys.executable).with_name("csc-users")
    for name, (role, scoped) in ACCOUNTS.items():
        command = [str(csc_users), "add", name, "--role", role, "--la", la]
        if scoped:
            command += ["--district", district]
        subprocess.run(
            command,
            input=password + "\n",
            text=True,
            check=True,
            capture_output=True,
            env={**os.environ, "CSC_AUTH_DIR": str(auth)},
        )


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], factory: str, timeout: float = 600, ready: str = "warmed"
) -> Iterator[tuple[str, int]]:
    """gunicorn (2 workers × 4 threads) on a free loopback port, once both workers have
    logged ``ready`` (warmed, by default): (base URL, master pid)."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "2",
        "--threads",
        "4",
        "--timeout",
        "120",
        # as `make dashboard`: an idle connection is kept longer than a user's think time
        # (1-3 s), so no request is sent on a connection the server is closing
        "--keep-alive",
        "5",
        factory,
    ]
    proc = subprocess.Popen(
        command,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline and proc.poll() is None:
            seen = list(lines)
            found = [m for line in seen if (m := re.search(r"Listening at: (\S+)", line))]
            url = found[0].group(1) if found else None
            if url and sum(ready in line for line in seen) >= 2:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start and warm: {lines[-10:]}")
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)


class RssSampler:
    """The resident memory of each gunicorn worker, every second: largest and last (MB)."""

    def __init__(self, master: int):
        import psutil

        self.master = psutil.Process(master)
        self.peak: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        import psutil

        for child in self.master.children():
            with contextlib.suppress(psutil.Error):
                mb = child.memory_info().rss / 2**20
                self.last[child.pid] = mb
                self.peak[child.pid] = max(self.peak.get(child.pid, 0.0), mb)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.sample()

    def __enter__(self) -> RssSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.sample()
        self._stop.set()
        self._thread.join(5)

    def report(self) -> list[dict[str, float]]:
        return [
            {"peak_mb": round(self.peak[pid]), "end_mb": round(self.last[pid])}
            for pid in sorted(self.peak)
        ]


def _locust(
    url: str, env: dict[str, str], users: int, seconds: int, out: Path
) -> tuple[list[dict], list[float]]:
    """Run locust headless against ``url``: its per-request-type statistics, and the time
    (ms) of every page request."""
    prefix = out / "locust"
    times = out / "page_times.tsv"
    env = {**env, "CSC_LOAD_TIMES": str(times)}
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        url,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    done = subprocess.run(
        command, env=env, check=True, timeout=seconds + 180, capture_output=True, text=True
    )
    errors = Path(f"{prefix}_exceptions.csv")
    if errors.is_file() and len(errors.read_text().splitlines()) > 1:
        raise RuntimeError(
            f"locust's users failed: {errors.read_text()[:2000]}{done.stderr[-2000:]}"
        )
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for r in csv.DictReader(handle):
            rows.append(
                {
                    "name": r["Name"] if r["Type"] else "all requests",
                    "method": r["Type"],
                    "requests": int(r["Request Count"]),
                    "failures": int(r["Failure Count"]),
                    "p50_ms": float(r["50%"]),
                    "p95_ms": float(r["95%"]),
                    "p99_ms": float(r["99%"]),
                    "mean_ms": round(float(r["Average Response Time"]), 1),
                    "per_second": round(float(r["Requests/s"]), 2),
                }
            )
    failures = Path(f"{prefix}_failures.csv")
    if failures.is_file():
        with open(failures, newline="") as handle:
            for r in csv.DictReader(handle):
                rows.append({"name": r["Name"], "method": "failure", "error": r["Error"],
                             "requests": int(r["Occurrences"]), "failures": int(r["Occurrences"]),
                             "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0})  # fmt: skip
    page_ms = [float(line.split("\t")[1]) for line in times.read_text().splitlines()]
    return rows, page_ms


def _pages_only(rows: list[dict], page_ms: list[float] | None = None) -> dict[str, float]:
    """The page-view requests (not signing in) taken together: their p50/p95/p99 from
    every page request's time (``page_ms``; the goal's figure), p95 over their types
    weighted by count, and the worst type's p95 and p99."""
    pages = [r for r in rows if r["method"] in ("GET", "POST") and r["name"].endswith(PAGE_PARTS)]
    count = sum(r["requests"] for r in pages) or 1
    pooled = {}
    if page_ms and len(page_ms) > 1:
        cuts = statistics.quantiles(page_ms, n=100, method="inclusive")
        pooled = {"p50_ms": round(cuts[49]), "p95_ms": round(cuts[94]), "p99_ms": round(cuts[98])}
    return {
        "requests": sum(r["requests"] for r in pages),
        "failures": sum(r["failures"] for r in pages),
        **pooled,
        "p95_ms_weighted": round(sum(r["p95_ms"] * r["requests"] for r in pages) / count, 1),
        "p95_ms_worst": max((r["p95_ms"] for r in pages), default=0.0),
        "p99_ms_worst": max((r["p99_ms"] for r in pages), default=0.0),
    }


def run(snapshot: Path, la: str, users: int, seconds: int, compare: bool) -> dict:
    import platform

    samples = _samples(snapshot, la)
    password = secrets.token_urlsafe(18)
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared), Python "
        f"{platform.python_version()}",
        "snapshot": str(snapshot),
        "snapshot_mb": round(snapshot.stat().st_size / 2**20, 1),
        "la": la,
        "users": users,
        "seconds": seconds,
        "server": "gunicorn, 2 workers x 4 threads, loopback, warmed",
        "think_time_s": [1, 3],
        **samples,
    }
    with tempfile.TemporaryDirectory(prefix="csc-load-") as folder:
        tmp = Path(folder)
        auth = tmp / "auth"
        _add_accounts(auth, la, samples["district"], password)
        base = {
            **os.environ,
            "CSC_SERVING_DIR": str(snapshot.parent),
            "CSC_AUTH_DIR": str(auth),
            "CSC_SECRET_KEY": secrets.token_hex(32),
            "CSC_COOKIE_SECURE": "0",  # plain HTTP on loopback
            "CSC_LOAD_PASSWORD": password,
            "CSC_LOAD_LA": la,
            "CSC_LOAD_KPI": samples["kpi"],
            "CSC_LOAD_DISTRICT": samples["district"],
            # the virtual users import the requests a browser makes from bench.dashboard
            "PYTHONPATH": os.pathsep.join(
                [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]
            ).rstrip(os.pathsep),
        }
        base.pop("CSC_DEMO", None)
        runs = [("signed_in", "dashboards.app:create_server()", "1")]
        if compare:
            runs.append(("without_sign_in", "bench.dashboard_load:unsigned_server()", "0"))
        for label, factory, auth_on in runs:
            env = {**base, "CSC_LOAD_AUTH": auth_on}
            with gunicorn(env, factory) as (url, master), RssSampler(master) as rss:
                out = tmp / label
                out.mkdir()
                rows, page_ms = _locust(url, env, users, seconds, out)
            report[label] = {
                "requests": rows,
                "pages": _pages_only(rows, page_ms),
                "rss_per_worker_mb": rss.report(),
            }
    if compare:
        signed, unsigned = report["signed_in"]["pages"], report["without_sign_in"]["pages"]
        report["sign_in_cost"] = {
            "p95_ms_weighted": round(signed["p95_ms_weighted"] - unsigned["p95_ms_weighted"], 1),
            "ratio_p95_weighted": round(
                signed["p95_ms_weighted"] / max(unsigned["p95_ms_weighted"], 0.1), 2
            ),
        }
    return report


def main(argv: list[str] | None = None) -> dict | None:
    from bench.dashboard import published_snapshot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=None, help="default: the settings' one")
    parser.add_argument("--la", default="850")
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--no-compare", dest="compare", action="store_false")
    parser.add_argument("--out", type=Path, default=Path("bench/results/dashboard_load.json"))
    args = parser.parse_args(argv)
    snapshot = published_snapshot(args.snapshot)
    if snapshot is None:
        return None
    report = run(snapshot, args.la, args.users, args.seconds, args.compare)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(
        f"{report['snapshot']} ({report['snapshot_mb']} MB), LA {args.la}: {args.users} users "
        f"for {args.seconds} s, {report['server']}; district {report['district']}, KPI "
        f"{report['kpi']}"
    )
    for label in ("signed_in", "without_sign_in"):
        if label not in report:
            continue
        print(f"{label}:")
        print(f"  {'request':<30} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}")
        for r in report[label]["requests"]:
            if r["method"] == "failure":
                print(f"  failed {r['requests']}x {r['name']}: {r['error'][:100]}")
                continue
            print(
                f"  {r['name'][:30]:<30} {r['requests']:>6} {r['failures']:>5} "
                f"{r['p50_ms']:>6.0f} {r['p95_ms']:>6.0f} {r['p99_ms']:>6.0f}"
            )
        print(f"  RSS per worker (MB): {report[label]['rss_per_worker_mb']}")
    if "sign_in_cost" in report:
        print(f"signing in costs page requests under load: {report['sign_in_cost']}")
    print(f"written to {args.out}")
    return report


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 2)
