"""Requests to any callback of the app, built from its callback map, with the values the
test chooses (a module of its own, not conftest: test modules import these by name).

Used to walk every callback unauthenticated, to check each role against each callback,
and to replay every callback with forged values as a manager of one district.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import dash

from bench.dashboard import _parse_output, router_body
from dashboards import ids

ROUTER = ".._pages_content.children..._pages_store.data.."
#: Concrete ids for pattern-matching ones: MATCH → this grid; ALL → these nav links.
GRID = ids.MISSING_TABLE
NAV = ("/", "/missing")
#: Each templated page's path with a sample value.
SAMPLES = {"kpi_id": "rhi_offered_pct", "district": "Winchester", "child_id": "C001"}

Values = Callable[[Any, str], Any]


def _id(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) and raw.startswith("{") else raw


def _key(component: Any) -> str:
    if isinstance(component, dict):
        return json.dumps(component, sort_keys=True, separators=(",", ":"))
    return str(component)


def _entries(item: dict, value: Values | None) -> dict | list[dict]:
    component = _id(item["id"])
    if isinstance(component, dict) and any(v == ["ALL"] for v in component.values()):
        out = []
        for nav in NAV:
            one = {k: (nav if v == ["ALL"] else v) for k, v in component.items()}
            out.append(_entry(one, item["property"], value))
        return out
    if isinstance(component, dict):
        component = {k: (GRID if v == ["MATCH"] else v) for k, v in component.items()}
    return _entry(component, item["property"], value)


def _entry(component: Any, prop: str, value: Values | None) -> dict:
    entry = {"id": component, "property": prop}
    if value is not None:
        entry["value"] = component if prop == "id" else value(component, prop)
    return entry


def callback_body(app: dash.Dash, key: str, value: Values, changed: int = 0) -> dict:
    """The POST body of callback ``key`` with ``value(component_id, property)`` for every
    input and state; input number ``changed`` is the one that fired."""
    spec = app.callback_map[key]
    outputs = [_entries(o, None) for o in _parse_output(key)]
    inputs = [_entries(i, value) for i in spec["inputs"]]
    state = [_entries(s, value) for s in spec["state"]]
    fired = inputs[changed] if not isinstance(inputs[changed], list) else inputs[changed][0]
    return {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{_key(fired['id'])}.{fired['property']}"],
    }


def slots(app: dash.Dash, key: str) -> list[tuple[Any, str]]:
    """(component id, property) of every input and state of callback ``key``."""
    spec = app.callback_map[key]
    return [(_id(i["id"]), i["property"]) for i in [*spec["inputs"], *spec["state"]]]


def page_paths() -> Iterator[tuple[dict, str]]:
    """(page, a concrete path) for every page of the registry."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        path = page["path"]
        if template:
            path = template
            for name, sample in SAMPLES.items():
                path = path.replace(f"<{name}>", sample)
        yield page, path


def page_values(component, prop):
    """What the pages of LA 850 and its district Winchester send (their own values)."""
    if prop == "n_clicks":
        return 1
    if prop == "search":
        return "?la=850"
    if prop in ("rowData", "virtualRowData", "columnDefs"):
        return []
    if str(component).endswith("-la"):
        return "850"
    if component in (
        ids.DISTRICT_NAME,
        ids.ACTIONS_DISTRICT,
        ids.MISSING_DISTRICT,
        ids.KPI_DISTRICT,
    ):
        return "Winchester"
    if component == ids.KPI_ID:
        return "rhi_offered_pct"
    return None


__all__ = ["ROUTER", "callback_body", "page_paths", "page_values", "router_body", "slots"]
