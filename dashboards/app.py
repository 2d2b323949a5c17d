"""The dashboard: ``create_app()`` builds the Dash app, ``create_server()`` its Flask server.

``make dashboard`` serves it with ``gunicorn 'dashboards.app:create_server()'``, whose
workers warm their caches in the background after each publish (``warmup``). Nothing
is read at import: the snapshot path is fixed when the app is created (argument, else
``$CSC_SERVING_DIR/serving.duckdb``) and the data is read per request by ``data``.

Page callbacks are registered on the app (each page's ``register_callbacks(app)``)
rather than with the global ``dash.callback``: Dash hands the global callback list to
the first app that serves a request, so a second app in the same process (tests build
several) would otherwise have none.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
import flask

from dashboards import data, intervals, warmup
from dashboards.components import grid, shell
from pipelines.settings import get_settings

HERE = Path(__file__).resolve().parent
TITLE = "Children's social care performance"


def create_app(serving_path: str | Path | None = None) -> dash.Dash:
    """A Dash app reading the snapshot at ``serving_path`` (default: the settings' one)."""
    app = dash.Dash(
        # This module's name, not the package's: under pytest ``tests/dashboards`` can shadow
        # the package as a namespace package without a file, and Flask needs a file.
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        # Page components are not in the shell's layout until their page is shown.
        suppress_callback_exceptions=True,
        title=TITLE,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    intervals.preload_in_background()  # statsmodels takes seconds: not on the first request
    path = Path(serving_path) if serving_path else get_settings().serving_path
    app.server.config[data.SERVING_PATH_KEY] = str(path.expanduser().resolve())
    data.init_app(app.server)
    app.layout = shell.shell_layout
    app.index_string = app.index_string.replace("<html>", '<html lang="en-GB">')
    shell.register_callbacks(app)
    grid.register_callbacks(app)
    for page in dash.page_registry.values():
        register = getattr(sys.modules.get(page["module"]), "register_callbacks", None)
        if register is not None:
            register(app)
    return app


def create_server(warm: bool = True) -> flask.Flask:
    """The WSGI app for gunicorn: each worker process builds one and, unless ``warm`` is
    false, starts a background thread that warms its caches whenever a new snapshot is
    published (``dashboards.warmup``), so the first view after a publish is fast too."""
    app = create_app()
    warmup.settle_heap()
    if warm:
        if not logging.getLogger().handlers:  # gunicorn's error log shows what was warmed
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        app.server.extensions["csc_warmer"] = warmup.start(app)
    return app.server
