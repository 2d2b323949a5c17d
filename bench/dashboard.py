"""Dashboard benchmark: how long each page takes to render and each filter to answer.

The app runs in this process and is driven through Flask's test client exactly as a
browser drives it, signed in (an analyst and administrator made for the run, through the
real sign-in form, so that every page is timed): the Pages router callback that renders a page for a URL, the shell's
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

What signing in costs: each warm view is timed in turn signed in and with the sign-in
layer taken off (this benchmark only: the gate, the session's user and the security
headers; the request then reads as the same analyst), column "no sign-in p95"; the
difference is the cost of the session, the role checks, the headers and the audit log.
Each page is also timed warm as a board member (disclosure-controlled figures), column
"board p95".

    python -m bench.dashboard [--snapshot data/serving/serving.duckdb] [--la 850]
                              [--repeat 20] [--out bench/results/dashboard.json]

The snapshot is normally generated Hampshire data: ``make demo`` (or ``make generate
materialize``) publishes it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: The run's accounts: one that may open every page, and a board member.
BENCH_ACCOUNTS = {"bench-analyst": ["analyst", "admin"], "bench-board": ["board"]}


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


def sign_in(client, username: str, password: str) -> None:
    """Sign ``client`` in through the sign-in form, as a browser does (with its CSRF token,
    then the ``Origin`` header the callbacks want)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError(f"no sign-in form at /login: {page[:300]}")
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token[1]}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: {response.status_code}")
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"


def router_body(pathname: str, search: str = "") -> dict:
    """The Pages router's request for a URL: what the browser posts to show a page."""
    return {
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


class Driver:
    """Requests as the browser makes them, each returning the seconds it took."""

    def __init__(self, app, username: str, password: str):
        self.app = app
        self.client = app.server.test_client()
        sign_in(self.client, username, password)
        self.client.get("/")  # the first request sets up the page router

    def _post(self, body: dict) -> dict:
        response = self.client.post("/_dash-update-component", json=body)
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:500]}")
        return response.get_json() if response.status_code == 200 else {}

    def route(self, pathname: str, search: str = "") -> dict:
        body = router_body(pathname, search)
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


def _pages(la: str) -> list[tuple[str, str, str, bool]]:
    """(name, pathname, search, whether the board may open it) of every page a person
    visits, from the page registry."""
    import dash

    from dashboards.auth import Access

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
        out.append((page["name"], path, f"?la={la}", page.get("access") == Access.AGGREGATES))
    return out


@contextlib.contextmanager
def sign_in_off(app, principal) -> Iterator[None]:
    """This benchmark only: the app's sign-in layer taken off (its gate, the session's
    user, the security headers), every request reading as ``principal`` (or as whom
    ``principal()`` names for the request, when it is a function)."""
    import flask

    from dashboards.auth.context import G_PRINCIPAL

    server = app.server
    keeper = server.extensions["csc_auth"]
    before, after = server.before_request_funcs[None], server.after_request_funcs[None]
    saved_before, saved_after = list(before), list(after)

    def as_principal() -> None:
        flask.g.setdefault(G_PRINCIPAL, principal() if callable(principal) else principal)

    before[before.index(keeper.gate)] = as_principal
    after[:] = [f for f in after if getattr(f, "__self__", None) is not keeper.talisman]
    after[:] = [f for f in after if getattr(f, "__name__", "") != "no_store"]
    try:
        yield
    finally:
        before[:], after[:] = saved_before, saved_after


@contextlib.contextmanager
def bench_app(snapshot: Path) -> Iterator[tuple[Any, str]]:
    """The app on ``snapshot`` behind its sign-in, with this run's accounts (in a temp
    folder, random password): (app, password)."""
    from dashboards.app import create_app
    from pipelines.settings import SecuritySettings

    with tempfile.TemporaryDirectory(prefix="csc-bench-auth-") as folder:
        security = SecuritySettings(auth_dir=Path(folder), secret_key=secrets.token_hex(32))
        app = create_app(serving_path=snapshot, security=security)
        password = secrets.token_urlsafe(16)
        store = app.server.extensions["csc_auth"].store
        for name, roles in BENCH_ACCOUNTS.items():
            store.add(name, password, roles, None)
        yield app, password


def run(snapshot: Path, la: str | None, repeat: int) -> dict:
    with bench_app(snapshot) as (app, password):
        return _run(app, password, snapshot, la, repeat)


def _run(app, password: str, snapshot: Path, la: str | None, repeat: int) -> dict:
    import duckdb

    from dashboards import data, warmup
    from dashboards.auth import acting_as, user

    analyst = user("bench-analyst", BENCH_ACCOUNTS["bench-analyst"])
    warmup.settle_heap()  # as create_server does for gunicorn's workers
    with data.use_snapshot(snapshot), acting_as(analyst):
        las = data.las()
        la = la if la in las else (las[0] if las else None)
        if la is None:
            raise SystemExit(f"The snapshot at {snapshot} holds no KPI values.")
        pages = _pages(la)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        kpi_rows = con.execute("select count(*) from marts.kpi_values").fetchone()[0]
    driver = Driver(app, "bench-analyst", password)
    board = Driver(app, "bench-board", password)
    results: list[dict] = []
    calls: list[Callable[[], Any]] = []
    with app.server.app_context():

        def measure(
            kind: str, name: str, call: Callable[[], Any], as_board: Callable[[], Any] | None
        ) -> None:
            call()  # once first: imports and the server's own first-call costs
            cold = _stats(_time(call, repeat, cold=True))
            # Warm, signed in and with the sign-in layer off in turn, so that both see
            # the same machine (other work on it drifts over seconds).
            signed_in, signed_out = [], []
            for _ in range(repeat):
                signed_in += _time(call, 1, cold=False)
                with sign_in_off(app, analyst):
                    signed_out += _time(call, 1, cold=False)
            warm, unsigned = _stats(signed_in), _stats(signed_out)
            ratio = round(cold["p95_ms"] / warm["p95_ms"], 1) if warm["p95_ms"] else None
            result = {
                "kind": kind,
                "name": name,
                "cold": cold,
                "warm": warm,
                "cold_vs_warm_p95": ratio,
                "warm_without_sign_in": unsigned,
                "sign_in_cost_p95_ms": round(warm["p95_ms"] - unsigned["p95_ms"], 1),
            }
            if as_board is not None:
                as_board()
                result["board_warm"] = _stats(_time(as_board, repeat, cold=False))
            results.append(result)
            calls.append(call)

        measure(
            "shell",
            "app layout (/_dash-layout)",
            lambda: driver.client.get("/_dash-layout"),
            lambda: board.client.get("/_dash-layout"),
        )
        measure("shell", "freshness banner", lambda: driver.banner(la), lambda: board.banner(la))
        for name, path, search, board_may in pages:
            measure(
                "page",
                f"{name} ({path})",
                lambda p=path, s=search: driver.route(p, s),
                (lambda p=path, s=search: board.route(p, s)) if board_may else None,
            )
            rendered = driver.route(path, search)
            for label, body in driver.filter_requests(rendered):
                measure("filter", f"{name}: {label}", lambda b=body: driver.post(b), None)
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
        "sign_in": _sign_in_summary(results),
    }


def _sign_in_summary(results: list[dict]) -> dict:
    """What signing in costs a page view (warm, p95 and median over the pages), and the
    security headers sent."""
    pages = [r for r in results if r["kind"] == "page"]
    costs = [r["sign_in_cost_p95_ms"] for r in pages]
    medians = [r["warm"]["median_ms"] - r["warm_without_sign_in"]["median_ms"] for r in pages]
    return {
        "pages": len(pages),
        "cost_p95_ms_median_over_pages": round(statistics.median(costs), 1) if costs else None,
        "cost_p95_ms_max": round(max(costs), 1) if costs else None,
        "cost_median_ms_median_over_pages": round(statistics.median(medians), 1)
        if medians
        else None,
        "slowest_signed_in_warm_p95_ms": max((r["warm"]["p95_ms"] for r in pages), default=None),
    }


def published_snapshot(path: Path | None) -> Path | None:
    """``path`` (default: the settings' snapshot), if it has been published; else None,
    having said how to publish one."""
    from pipelines.settings import get_settings

    snapshot = (path or get_settings().serving_path).expanduser().resolve()
    if snapshot.is_file():
        return snapshot
    print(
        f"No published snapshot at {snapshot}: run `make demo` (or `make generate "
        "materialize`) first, or pass --snapshot PATH.",
        file=sys.stderr,
    )
    return None


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=None, help="default: the settings' one")
    parser.add_argument("--la", default=None, help="default: 850 if present, else the first")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("bench/results/dashboard.json"))
    args = parser.parse_args(argv)
    snapshot = published_snapshot(args.snapshot)
    if snapshot is None:
        return None
    report = run(snapshot, args.la or "850", args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(
        f"{report['snapshot']} ({report['snapshot_mb']} MB, {report['kpi_values_rows']:,} KPI "
        f"values), LA {report['la']}, {report['repeat']} runs each, {report['cpus']} CPUs"
    )
    print(
        f"{'request':<64} {'cold med':>9} {'cold p95':>9} {'warm med':>9} {'warm p95':>9} "
        f"{'cold/warm':>9} {'÷ /':>9} {'warmed p95':>11} {'no sign-in p95':>15} "
        f"{'board p95':>10}"
    )
    for r in report["requests"]:
        board = r.get("board_warm", {}).get("p95_ms")
        print(
            f"{r['name'][:64]:<64} {r['cold']['median_ms']:>9.1f} {r['cold']['p95_ms']:>9.1f} "
            f"{r['warm']['median_ms']:>9.1f} {r['warm']['p95_ms']:>9.1f} "
            f"{r['cold_vs_warm_p95'] or 0:>9.1f} {r.get('cold_p95_vs_scorecard', 0):>9.2f} "
            f"{r['after_warmup']['p95_ms']:>11.1f} "
            f"{r['warm_without_sign_in']['p95_ms']:>15.1f} "
            f"{'' if board is None else f'{board:.1f}':>10}"
        )
    cost = report["sign_in"]
    print(
        f"signing in costs a page view {cost['cost_median_ms_median_over_pages']} ms (median) "
        f"and {cost['cost_p95_ms_median_over_pages']} ms at p95 (median over "
        f"{cost['pages']} pages; at most {cost['cost_p95_ms_max']} ms)"
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
