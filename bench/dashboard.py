"""Dashboard benchmark: how long each page takes to render and each filter to answer.

The app runs in this process and is driven through Flask's test client exactly as a
browser drives it: the Pages router callback that renders a page for a URL, the shell's
banner callback that runs on every page, and each page's filter callback (found in the
app's callback map, fed the values the page rendered with and its first filter moved to
another choice). Each request is timed ``--repeat`` times cold (caches cleared and the
files closed: the first view after a new snapshot) and as many times warm (every later
view, served from the per-snapshot cache), reported as median and p95 in milliseconds, with cold ÷ warm
and each request's cold p95 ÷ the scorecard's (column "÷ /"). Then the server's warm-up
after a publish (``dashboards.warmup``) is run ``--repeat`` times, timed, each followed by
one view of every request (column "warmed p95": the first view of a page once the
warm-up has finished; a view that arrives during the warm-up costs up to the cold figure). One run on this machine:
figures and ratios, not assertions; they vary with machine load.

    python -m bench.dashboard [--snapshot data/serving/serving.duckdb] [--la 850]
                              [--repeat 20] [--out bench/results/dashboard.json]

The snapshot is normally generated Hampshire data: ``make demo`` (or ``make generate
materialize``) publishes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _samples() -> dict[str, Callable[[str], str | None]]:
    """A value for each templated page's path variable (``/kpi/<kpi_id>``…), from the data."""
    from dashboards import data

    def first_kpi(la: str) -> str | None:
        kpis = data.latest_values(la)["kpi_id"]
        return str(kpis.iloc[0]) if len(kpis) else None

    def first_district(la: str) -> str | None:
        districts = data.districts(la)
        return districts[0] if districts else None

    def first_child(la: str) -> str | None:
        rows = data.action_rhi(la)
        return str(rows["child"].iloc[0]) if "child" in rows and len(rows) else None

    return {"kpi_id": first_kpi, "district": first_district, "child_id": first_child}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _stats(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def find_component(tree: Any, component_id: Any) -> dict | None:
    """The first component with ``component_id`` in a component tree (JSON)."""
    if isinstance(tree, list):
        for item in tree:
            found = find_component(item, component_id)
            if found is not None:
                return found
    elif isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return tree
        for value in props.values():
            found = find_component(value, component_id)
            if found is not None:
                return found
    return None


def _parse_output(key: str) -> list[dict[str, Any]]:
    """``"..a.children...b.value.."`` → ``[{"id": "a", "property": "children"}, …]``."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        out.append({"id": json.loads(component) if component.startswith("{") else component,
                    "property": prop})  # fmt: skip
    return out


class Driver:
    """Requests as the browser makes them, each returning the seconds it took."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        self.client.get("/")  # the first request sets up the page router

    def _post(self, body: dict) -> dict:
        response = self.client.post("/_dash-update-component", json=body)
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:500]}")
        return response.get_json() if response.status_code == 200 else {}

    def route(self, pathname: str, search: str = "") -> dict:
        body = {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": pathname},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "state": [],
            "changedPropIds": ["_pages_location.pathname"],
        }
        return self._post(body)["response"]["_pages_content"]["children"]

    def banner(self, la: str) -> None:
        from dashboards import ids

        key = next(k for k in self.app.callback_map if f"..{ids.FRESHNESS}.children" in k)
        outputs = _parse_output(key)
        nav = outputs[3]
        body = {
            "output": key,
            "outputs": [*outputs[:3], [nav | {"id": {"type": ids.NAV_LINK, "index": "/"}}]],
            "inputs": [
                {"id": ids.PAGES_LOCATION, "property": "search", "value": f"?la={la}"},
                {"id": ids.LA_SELECT, "property": "value", "value": None},
            ],
            "state": [
                {"id": ids.PAGES_LOCATION, "property": "pathname", "value": "/"},
                [{"id": ids.nav_link("/"), "property": "id", "value": ids.nav_link("/")}],
            ],
            "changedPropIds": [f"{ids.PAGES_LOCATION}.search"],
        }
        self._post(body)

    def filter_requests(self, page: Any) -> list[tuple[str, dict]]:
        """For each filter callback whose URL location is on ``page``: the request that
        moves its first filter to another choice, built from the page as rendered."""
        found = []
        for key, spec in self.app.callback_map.items():
            inputs = spec["inputs"]
            locations = [i["id"] for i in inputs if i["property"] == "search"]
            if not locations or not isinstance(locations[0], str) or not key.startswith(".."):
                continue
            if locations[0].startswith("_pages") or find_component(page, locations[0]) is None:
                continue
            values = []
            for item in inputs:
                node = find_component(page, item["id"])
                value = "" if item["property"] == "search" else None
                if node is not None and item["property"] != "search":
                    value = node["props"].get(item["property"])
                values.append({**item, "value": value})
            first = values[0]
            node = find_component(page, first["id"])
            choices = [o["value"] for o in (node or {}).get("props", {}).get("options") or []]
            other = next((c for c in choices if c != first["value"]), first["value"])
            values[0] = {**first, "value": other}
            state = []
            for item in spec["state"]:
                node = find_component(page, item["id"])
                state.append(
                    {**item, "value": None if node is None else node["props"].get(item["property"])}
                )
            body = {
                "output": key,
                "outputs": _parse_output(key),
                "inputs": values,
                "state": state,
                "changedPropIds": [f"{first['id']}.{first['property']}"],
            }
            found.append((f"{first['id']} → {other}", body))
        return found

    def post(self, body: dict) -> None:
        self._post(body)


def _time(call: Callable[[], Any], repeat: int, cold: bool) -> list[float]:
    from dashboards import data

    seconds = []
    for _ in range(repeat):
        if cold:
            data.clear_cache()
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def _pages(la: str) -> list[tuple[str, str, str]]:
    """(name, pathname, search) of every page a person visits, from the page registry."""
    import dash

    samples = _samples()
    out = []
    for page in dash.page_registry.values():
        if page["path"] in ("/404", "/kpi") or page["module"].endswith("not_found_404"):
            continue
        template = page.get("path_template")
        path = page["path"]
        if template:
            variable = template.split("<", 1)[1].split(">", 1)[0]
            value = samples.get(variable, lambda _la: None)(la)
            if value is None:
                continue
            path = template.replace(f"<{variable}>", value)
        out.append((page["name"], path, f"?la={la}"))
    return out


def run(snapshot: Path, la: str | None, repeat: int) -> dict:
    import duckdb

    from dashboards import data, warmup
    from dashboards.app import create_app

    app = create_app(serving_path=snapshot)
    warmup.settle_heap()  # as create_server does for gunicorn's workers
    with data.use_snapshot(snapshot):
        las = data.las()
        la = la if la in las else (las[0] if las else None)
        if la is None:
            raise SystemExit(f"The snapshot at {snapshot} holds no KPI values.")
        pages = _pages(la)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        kpi_rows = con.execute("select count(*) from marts.kpi_values").fetchone()[0]
    driver = Driver(app)
    results: list[dict] = []
    calls: list[Callable[[], Any]] = []
    with app.server.app_context():

        def measure(kind: str, name: str, call: Callable[[], Any]) -> None:
            call()  # once first: imports and the server's own first-call costs
            cold = _stats(_time(call, repeat, cold=True))
            warm = _stats(_time(call, repeat, cold=False))
            ratio = round(cold["p95_ms"] / warm["p95_ms"], 1) if warm["p95_ms"] else None
            results.append({"kind": kind, "name": name, "cold": cold, "warm": warm,
                            "cold_vs_warm_p95": ratio})  # fmt: skip
            calls.append(call)

        measure("shell", "app layout (/_dash-layout)", lambda: driver.client.get("/_dash-layout"))
        measure("shell", "freshness banner", lambda: driver.banner(la))
        for name, path, search in pages:
            measure("page", f"{name} ({path})", lambda p=path, s=search: driver.route(p, s))
            rendered = driver.route(path, search)
            for label, body in driver.filter_requests(rendered):
                measure("filter", f"{name}: {label}", lambda b=body: driver.post(b))
    # After a publish the server's warmer renders the most visited pages (warmup): the
    # first view of each request once that pass has finished, ``repeat`` publishes.
    passes = []
    firsts: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        data.clear_cache()
        passes.append(warmup.warm(app))
        warmup.settle_heap()  # as the warmer does after each pass
        with app.server.app_context():
            for seconds, call in zip(firsts, calls, strict=True):
                start = time.perf_counter()
                call()
                seconds.append(time.perf_counter() - start)
    for result, seconds in zip(results, firsts, strict=True):
        result["after_warmup"] = _stats(seconds)
    gc.unfreeze()  # leave the process's heap as it was (a caller may go on working)
    warmed = max(passes, key=lambda p: p.seconds)
    pages_timed = [r for r in results if r["kind"] == "page"]
    base = next((r for r in pages_timed if r["name"].endswith("(/)")), None)
    for r in results:
        if base and base["cold"]["p95_ms"]:
            r["cold_p95_vs_scorecard"] = round(r["cold"]["p95_ms"] / base["cold"]["p95_ms"], 2)
    return {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "snapshot": str(snapshot),
        "snapshot_mb": round(snapshot.stat().st_size / 1e6, 1),
        "kpi_values_rows": kpi_rows,
        "la": la,
        "repeat": repeat,
        "warmup": {
            "max_seconds": round(warmed.seconds, 2),
            "pages": warmed.pages,
            "complete": warmed.complete,
            "stopped": warmed.stopped,
            "errors": warmed.errors,
        },
        "requests": results,
        "slowest_cold_p95": max(results, key=lambda r: r["cold"]["p95_ms"])["name"],
    }


def main(argv: list[str] | None = None) -> dict | None:
    from pipelines.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=None, help="default: the settings' one")
    parser.add_argument("--la", default=None, help="default: 850 if present, else the first")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("bench/results/dashboard.json"))
    args = parser.parse_args(argv)
    snapshot = (args.snapshot or get_settings().serving_path).expanduser().resolve()
    if not snapshot.is_file():
        print(
            f"No published snapshot at {snapshot}: run `make demo` (or `make generate "
            "materialize`) first, or pass --snapshot PATH.",
            file=sys.stderr,
        )
        return None
    report = run(snapshot, args.la or "850", args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(
        f"{report['snapshot']} ({report['snapshot_mb']} MB, {report['kpi_values_rows']:,} KPI "
        f"values), LA {report['la']}, {report['repeat']} runs each, {report['cpus']} CPUs"
    )
    print(f"{'request':<64} {'cold med':>9} {'cold p95':>9} {'warm med':>9} {'warm p95':>9} "
          f"{'cold/warm':>9} {'÷ /':>9} {'warmed p95':>11}")  # fmt: skip
    for r in report["requests"]:
        print(
            f"{r['name'][:64]:<64} {r['cold']['median_ms']:>9.1f} {r['cold']['p95_ms']:>9.1f} "
            f"{r['warm']['median_ms']:>9.1f} {r['warm']['p95_ms']:>9.1f} "
            f"{r['cold_vs_warm_p95'] or 0:>9.1f} {r.get('cold_p95_vs_scorecard', 0):>9.2f} "
            f"{r['after_warmup']['p95_ms']:>11.1f}"
        )
    w = report["warmup"]
    stopped = f" (stopped early: {w['stopped']})" if w["stopped"] else ""
    print(
        f"warm-up after a publish: {w['pages']} pages in at most {w['max_seconds']:.1f} s"
        f"{stopped}; slowest (cold p95): {report['slowest_cold_p95']}; written to {args.out}"
    )
    return report


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 2)
