"""The dashboard: ``create_app()`` builds the Dash app, ``create_server()`` its Flask server.

``make dashboard`` serves it with ``gunicorn 'dashboards.app:create_server()'``, whose
workers warm their caches in the background after each publish (``warmup``). Nothing
is read at import: the snapshot path is fixed when the app is created (argument, else
``$CSC_SERVING_DIR/serving.duckdb``) and the data is read per request by ``data``.

Page callbacks are registered on the app (each page's ``register_callbacks(app)``)
rather than with the global ``dash.callback``: Dash hands the global callback list to
the first app that serves a request, so a second app in the same process (tests build
several) would otherwise have none.

Every request needs a signed-in user (``dashboards.auth.web``): each page declares who may
open it (``access=`` in ``register_page``), every callback a page registers inherits its
page's access, and the shell's and grids' callbacks need only a signed-in user (what they
read, ``dashboards.data`` scopes). A page without ``access``, or a callback registered
outside these, is refused to everyone: nothing can be added that skips the check.
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Any

import dash
import flask

from dashboards import data, intervals, warmup
from dashboards.auth import web
from dashboards.auth.auditlog import AuditLog, audit
from dashboards.auth.context import current_principal
from dashboards.auth.errors import NotAllowed
from dashboards.auth.roles import Access
from dashboards.components import grid, messages, shell
from pipelines.settings import SecuritySettings, get_security_settings, get_settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
TITLE = "Children's social care performance"


def create_app(
    serving_path: str | Path | None = None,
    security: SecuritySettings | None = None,
    audit_log: AuditLog | None = None,
) -> dash.Dash:
    """A Dash app reading the snapshot at ``serving_path`` (default: the settings' one),
    behind the sign-in of ``security`` (default: the settings' one), writing to the audit
    log of ``security`` (or ``audit_log``)."""
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
    keeper = web.init_app(app, security or get_security_settings(), audit_store=audit_log)
    shell.register_callbacks(app)
    grid.register_callbacks(app)
    keeper.callback_access.update(dict.fromkeys(app.callback_map, Access.SIGNED_IN))
    for page in dash.page_registry.values():
        problem = web.page_access_error(page)
        if problem:
            raise RuntimeError(problem)
        guard_page(page)
        register = getattr(sys.modules.get(page["module"]), "register_callbacks", None)
        if register is not None:
            before = set(app.callback_map)
            register(app)
            for key in set(app.callback_map) - before:
                keeper.callback_access[key] = Access(page["access"])
    return app


def guard_page(page: dict[str, Any]) -> None:
    """Make the page's layout (and title) check its access first (once per process: the
    page registry is shared by every app)."""
    layout = page["layout"]
    if getattr(layout, "csc_guarded", False):
        return
    access = Access(page["access"])

    @functools.wraps(layout)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        who = current_principal()
        if who is None or not who.can(access):
            audit(
                "denied",
                result="denied",
                what=page.get("path_template") or page["path"],
                la=kwargs.get("la"),
                district=kwargs.get("district"),
                child=kwargs.get("child_id"),
                detail=f"page needs {access}",
            )
            return messages.not_available(page["name"], access, who)
        try:
            return layout(*args, **kwargs)
        except NotAllowed as err:  # the data layer refused (and audited) part of it
            return messages.not_in_scope(page["name"], str(err))

    guarded.csc_guarded = True  # type: ignore[attr-defined]
    page["layout"] = guarded
    title = page.get("title")
    if callable(title) and not getattr(title, "csc_guarded", False):

        @functools.wraps(title)
        def guarded_title(*args: Any, **kwargs: Any) -> Any:
            who = current_principal()
            if who is None or not who.can(access):
                return page["name"]
            try:
                return title(*args, **kwargs)
            except NotAllowed:
                return page["name"]

        guarded_title.csc_guarded = True  # type: ignore[attr-defined]
        page["title"] = guarded_title


def create_server(warm: bool = True) -> flask.Flask:
    """The WSGI app for gunicorn: each worker process builds one and, unless ``warm`` is
    false, starts a background thread that warms its caches whenever a new snapshot is
    published (``dashboards.warmup``), so the first view after a publish is fast too."""
    app = create_app()
    keeper = app.server.extensions[web.EXTENSION]
    if not logging.getLogger().handlers:  # gunicorn's error log shows what was warmed
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    keeper.audit_log.purge()  # rows past the retention period (CSC_AUDIT_RETENTION_DAYS)
    if not keeper.store.accounts() and keeper.role_map is None:
        log.warning(
            "nobody can sign in yet: add an account (csc-users add NAME --role ROLE --la CODE) "
            "or configure single sign-on (docs/security.md)"
        )
    if keeper.settings.demo:
        log.warning("DEMO MODE: demo accounts, synthetic data; answering 127.0.0.1 only")
    warmup.settle_heap()
    if warm:
        app.server.extensions["csc_warmer"] = warmup.start(app)
    return app.server
