"""Drive a Dash app through Flask's test client, and read the component trees it returns.

(A module of its own, not conftest: test modules import these by name.)
"""

from __future__ import annotations

import json

from bench.dashboard import find_component


def _prop_key(component_id, prop: str) -> str:
    if isinstance(component_id, dict):
        component_id = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f"{component_id}.{prop}"


class DashCallbacks:
    """POST ``/_dash-update-component`` as the browser does, without a browser."""

    def __init__(self, client):
        self.client = client
        self.client.get("/")  # the first request sets up the page router

    def call(self, outputs, inputs, state=(), changed=None):
        """``outputs``/``state``: [(id, prop)]; ``inputs``: [(id, prop, value)]."""
        keys = [_prop_key(i, p) for i, p in outputs]
        return self.post(
            output=keys[0] if len(keys) == 1 else ".." + "...".join(keys) + "..",
            outputs=[{"id": i, "property": p} for i, p in outputs]
            if len(outputs) > 1
            else {"id": outputs[0][0], "property": outputs[0][1]},
            inputs=[{"id": i, "property": p, "value": v} for i, p, v in inputs],
            state=[{"id": i, "property": p, "value": v} for i, p, v in state],
            changed=[_prop_key(i, p) for i, p in (changed or [inputs[0][:2]])],
        )

    def post(self, *, output, outputs, inputs, state=(), changed=()):
        """The raw request (for pattern-matching ids, whose payloads nest lists)."""
        body = {
            "output": output,
            "outputs": outputs,
            "inputs": list(inputs),
            "state": list(state),
            "changedPropIds": list(changed),
        }
        return self.client.post("/_dash-update-component", json=body)

    def route(self, pathname: str, search: str = "") -> dict:
        """The page router: what the page shows for a URL (the layout, as JSON)."""
        response = self.call(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", pathname), ("_pages_location", "search", search)],
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        return response.get_json()["response"]["_pages_content"]["children"]


def text_of(tree) -> str:
    """All text in a Dash component tree (JSON), whitespace collapsed, for assertions."""
    return " ".join(_texts(tree).split())


def _texts(tree) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, int | float):
        return str(tree)
    if isinstance(tree, list):
        return " ".join(_texts(t) for t in tree)
    if isinstance(tree, dict):
        props = tree.get("props", tree)
        parts = [_texts(props.get("children"))] if "children" in props else []
        if "figure" not in props:
            parts += [_texts(v) for k, v in props.items() if k in ("label", "title")]
        return " ".join(p for p in parts if p)
    return ""


# The first component with a given id in a component tree (JSON): the benchmark's.
find_by_id = find_component
