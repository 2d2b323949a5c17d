"""The dashboard's front door, on its Flask server: sessions, the sign-in page (local
accounts and single sign-on), sign-out, the gate every request passes, and the security
headers.

- Every path needs a signed-in user except ``/login``, ``/auth/…`` (the single sign-on
  round trip), ``/healthz`` and the static ``/assets/``. Without one, a page is redirected
  to ``/login`` and anything else (``/_dash-*`` callbacks, layouts, scripts) gets 401.
- A page the user's role may not open is served with status 403 (and says so); a callback
  the role may not call gets 403; both are audited. Which role may open which page is the
  ``access`` each page gives ``dash.register_page``; its callbacks inherit it.
- Callbacks and the sign-out form accept only same-origin requests (``Origin`` or
  ``Referer``, and ``Sec-Fetch-Site`` when sent); the sign-in and sign-out forms carry a
  CSRF token (Flask-WTF).
- Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure unless
  ``CSC_COOKIE_SECURE=0``), end after 30 idle minutes or 12 hours (settings), and are
  checked against the account on every request (a disabled account or a reset password
  ends its sessions at once).
- Failed sign-ins are counted in the accounts file, for every worker: an account is
  locked for 15 minutes after 5 failures, a client address after 20 (settings).
- Headers (flask-talisman): a Content-Security-Policy with no ``unsafe-eval`` and Dash's
  inline scripts allowed by their hashes (``app.csp_hashes()``), HSTS over TLS,
  ``X-Frame-Options: DENY``, ``nosniff``, a strict referrer policy, and
  ``Cache-Control: no-store`` on everything but static files.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import dash
import flask
import flask_login
from flask_talisman import Talisman
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboards.auth import auditlog as audit_log
from dashboards.auth import keys, oidc
from dashboards.auth.auditlog import AuditLog, audit
from dashboards.auth.context import G_PRINCIPAL
from dashboards.auth.errors import NotAllowed, NotSignedIn
from dashboards.auth.roles import Access, Principal
from dashboards.auth.users import UserStore
from pipelines.settings import SecuritySettings

log = logging.getLogger(__name__)

EXTENSION = "csc_auth"
#: Paths open without signing in, and prefixes of more.
OPEN_PATHS = frozenset({"/login", "/healthz", "/_favicon.ico"})
OPEN_PREFIXES = ("/auth/oidc/", "/assets/")
CALLBACK_PATH = "/_dash-update-component"
#: The Pages router's callback (Dash adds it at the first request): any signed-in user;
#: each page's layout then checks the page's own access.
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
SEEN_EVERY_SECONDS = 60
SESSION_COOKIE = "csc_session"

CSP: dict[str, Any] = {
    "default-src": "'self'",
    "script-src": ["'self'"],  # + Dash's inline scripts by hash, at the first request
    # Plotly and AG Grid set styles from JavaScript (style attributes and <style> rules).
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # the scorecard's sparklines are SVG data URIs
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


@dataclass
class Gatekeeper:
    """What the gate knows of the app: the access of each page and callback."""

    app: dash.Dash
    settings: SecuritySettings
    store: UserStore
    audit_log: AuditLog
    role_map: oidc.RoleMap | None = None
    callback_access: dict[str, Access] = field(default_factory=dict)
    talisman: Talisman | None = None
    csp_ready: bool = False

    # ##### Who is signed in

    def session_principal(self) -> Principal | None:
        """The signed-in principal, if the session is still within its time limits."""
        if not flask_login.current_user.is_authenticated:
            return None
        now = time.time()
        login_at = flask.session.get("csc_login_at", 0)
        seen_at = flask.session.get("csc_seen_at", 0)
        idle = self.settings.session_idle_minutes * 60
        if now - seen_at > idle or now - login_at > self.settings.session_max_hours * 3600:
            who = flask_login.current_user
            flask.g.pop(G_PRINCIPAL, None)
            audit(
                "session_expired",
                user=who.get_id(),
                detail="idle" if now - seen_at > idle else "lifetime",
            )
            flask_login.logout_user()
            flask.session.clear()
            return None
        if now - seen_at > SEEN_EVERY_SECONDS:
            flask.session["csc_seen_at"] = now
        return flask_login.current_user  # type: ignore[return-value]

    def load_user(self, user_id: str) -> Principal | None:
        if user_id.startswith("local:"):
            return self.store.principal_for(user_id)
        if user_id.startswith("oidc:"):
            stored = flask.session.get("csc_oidc")
            if stored and stored.get("auth_id") == user_id and self.role_map is not None:
                return oidc.principal_from_json(stored)
        return None

    # ##### Which page or callback a request is for

    def page_for(self, path: str) -> dict[str, Any] | None:
        from dash._pages import _path_to_page  # Dash's own path → page matching

        page, _variables = _path_to_page(self.app.strip_relative_path(path) or "")
        return page or None

    def access_of_callback(self, output: str) -> Access | None:
        if output == ROUTER_OUTPUT:
            return Access.SIGNED_IN
        return self.callback_access.get(output)

    # ##### The gate

    def gate(self) -> flask.typing.ResponseReturnValue | None:
        request = flask.request
        if self.settings.demo and not _loopback(request.remote_addr):
            return _plain("Demo mode serves this computer only (127.0.0.1).", 403)
        self._csp_hashes()
        path = request.path
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return None
        who = self.session_principal()
        if who is None:
            if request.method in ("GET", "HEAD") and not path.startswith("/_"):
                target = path + (
                    f"?{request.query_string.decode()}" if request.query_string else ""
                )
                # No body: werkzeug's would repeat the address asked for (a child's id).
                location = flask.url_for("csc_auth.login", next=target)
                return flask.Response(status=302, headers={"Location": location})
            return _json({"error": "Sign in first."}, 401)
        flask.g.setdefault(G_PRINCIPAL, who)
        if request.method not in ("GET", "HEAD") and not _same_origin(request):
            audit("denied", result="denied", what=path, detail="cross-origin request")
            return _json({"error": "Cross-origin requests are refused."}, 403)
        if path == CALLBACK_PATH:
            return self._check_callback(who)
        if request.method in ("GET", "HEAD") and not path.startswith("/_"):
            return self._check_page(who, path)
        return None

    def _check_callback(self, who: Principal) -> flask.typing.ResponseReturnValue | None:
        body = flask.request.get_json(silent=True) or {}
        output = body.get("output") if isinstance(body, dict) else None
        access = self.access_of_callback(str(output))
        if access is None:
            audit("denied", result="denied", what=f"callback:{output}", detail="no such callback")
            return _json({"error": "No such callback."}, 403)
        if not who.can(access):
            audit(
                "denied", result="denied", what=f"callback:{output}", detail=f"needs {access.value}"
            )
            return _json({"error": "Not available to your role."}, 403)
        return None

    def _check_page(self, who: Principal, path: str) -> flask.typing.ResponseReturnValue | None:
        page = self.page_for(path)
        if page is None:
            return None  # Dash's catch-all: the not-found page
        access = page.get("access")
        if access is not None and who.can(access):
            return None
        audit("denied", result="denied", what=path, detail=f"page needs {access}")
        return flask.make_response(self.app.index(), 403)

    def _csp_hashes(self) -> None:
        """Allow Dash's inline scripts by their hashes: once, after Dash's first-request
        set-up (which adds the Pages router's clientside callback)."""
        if self.csp_ready or self.talisman is None:
            return
        if not self.app._got_first_request.get("pages", True):
            return
        self.talisman.content_security_policy["script-src"] = ["'self'", *self.app.csp_hashes()]
        self.csp_ready = True

    # ##### Signing in

    def sign_in(self, who: Principal, how: str, stored: Mapping[str, Any] | None = None) -> None:
        flask.session.clear()  # nothing from before the sign-in survives it
        if stored is not None:
            flask.session["csc_oidc"] = dict(stored)
        flask_login.login_user(who)
        now = time.time()
        flask.session["csc_login_at"] = now
        flask.session["csc_seen_at"] = now
        flask.session.permanent = True
        flask.g.pop(G_PRINCIPAL, None)
        flask.g.setdefault(G_PRINCIPAL, who)
        audit("sign_in", what=how, user=who.get_id())


def gatekeeper() -> Gatekeeper:
    return flask.current_app.extensions[EXTENSION]


def _plain(text: str, status: int) -> flask.Response:
    return flask.Response(text, status=status, mimetype="text/plain")


def _json(body: dict, status: int) -> flask.Response:
    return flask.Response(json.dumps(body), status=status, mimetype="application/json")


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _same_origin(request: flask.Request) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    expected = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin:
        return origin.rstrip("/") == expected
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == expected
    return False


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never ``//host``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# ##### Forms and pages


class SignInForm(FlaskForm):
    username = StringField("Account name", validators=[DataRequired(), Length(max=128)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class SignOutForm(FlaskForm):
    pass


REASONS = {
    "bad_credentials": "The account name or the password is wrong.",
    "disabled": "This account is disabled. Ask an administrator.",
    "locked": "Too many failed sign-ins for this account. Try again in {minutes} minutes, "
    "or ask an administrator to reset it.",
    "client_blocked": "Too many failed sign-ins from this computer. Try again in {minutes} "
    "minutes.",
}

LOGIN_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Children's social care performance</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.6.min.css">
<link rel="stylesheet" href="/assets/10-csc.css">
</head><body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<header class="csc-navbar navbar navbar-dark bg-dark mb-4"><div class="container">
<span class="navbar-brand">Children's social care performance</span></div></header>
<main id="main-content" class="container" style="max-width: 34rem">
{% if demo %}<div class="alert alert-warning demo-mode" role="note"><strong>Demo mode.</strong>
Synthetic data and demo accounts, on this computer only. <code>make demo</code> printed the
accounts and their passwords.</div>{% endif %}
<h1 class="h2">Sign in</h1>
{% if message %}<div class="alert alert-{{ message_kind }}" role="alert">{{ message }}</div>{% endif %}
{% if oidc_label %}<p><a class="btn btn-primary" href="{{ url_for('csc_auth.oidc_login', next=next) }}">{{ oidc_label }}</a></p>
{% if local %}<p class="text-body-secondary">Or with a local account:</p>{% endif %}{% endif %}
{% if local %}
<form method="post" action="{{ url_for('csc_auth.login') }}" novalidate>
  {{ form.csrf_token }}
  <input type="hidden" name="next" value="{{ next }}">
  <div class="mb-3"><label class="form-label" for="username">Account name</label>
  <input class="form-control" id="username" name="username" autocomplete="username" required
         value="{{ username }}" autofocus></div>
  <div class="mb-3"><label class="form-label" for="password">Password</label>
  <input class="form-control" id="password" name="password" type="password"
         autocomplete="current-password" required></div>
  <button class="btn btn-primary" type="submit">Sign in</button>
</form>
{% if no_accounts %}<p class="mt-4 small">No accounts yet: an administrator creates them on the
server with <code>csc-users add NAME --role ROLE --la CODE</code> (see the README).</p>{% endif %}
{% endif %}
<p class="mt-4 small text-body-secondary">This dashboard holds personal data about children.
Every view of a child's data is recorded.</p>
</main></body></html>"""


def _login_page(message: str = "", kind: str = "danger", status: int = 200, **extra: Any):
    keeper = gatekeeper()
    form = SignInForm()
    context = {
        "form": form,
        "demo": keeper.settings.demo,
        "message": message,
        "message_kind": kind,
        "oidc_label": keeper.settings.oidc.label if keeper.role_map is not None else None,
        "local": True,
        "no_accounts": not keeper.store.accounts(),
        "next": safe_next(flask.request.values.get("next")),
        "username": "",
        **extra,
    }
    return flask.render_template_string(LOGIN_PAGE, **context), status


blueprint = flask.Blueprint("csc_auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    keeper = gatekeeper()
    if flask.request.method == "GET":
        if keeper.session_principal() is not None:
            return flask.redirect(safe_next(flask.request.args.get("next")))
        notes = {
            "signed_out": ("You have signed out.", "success"),
            "expired": ("Your session ended. Sign in again.", "info"),
        }
        note = next((notes[k] for k in notes if k in flask.request.args), ("", "danger"))
        return _login_page(note[0], note[1])
    form = SignInForm()
    username = (flask.request.form.get("username") or "").strip()
    if not form.validate_on_submit():
        audit(
            "sign_in",
            result="failed",
            what="local",
            user=f"local:{username[:64]}",
            detail="form not valid (CSRF token or fields)",
        )
        return _login_page(
            "The form expired or was incomplete. Please try again.", status=400, username=username
        )
    result = keeper.store.verify(username, form.password.data or "", flask.request.remote_addr)
    if result.account is None:
        message = REASONS[result.reason or "bad_credentials"].format(
            minutes=result.retry_after_minutes
        )
        audit(
            "sign_in",
            result="denied" if result.reason == "disabled" else "failed",
            what="local",
            user=f"local:{username[:64].lower()}",
            detail=result.reason,
        )
        status = 429 if result.reason in ("locked", "client_blocked") else 401
        return _login_page(message, status=status, username=username)
    keeper.sign_in(result.account.principal(), "local")
    return flask.redirect(safe_next(form.next.data))


@blueprint.route("/logout", methods=["GET", "POST"])
def logout():
    keeper = gatekeeper()
    who = keeper.session_principal()
    if flask.request.method == "GET":
        if who is None:
            return flask.redirect(flask.url_for("csc_auth.login"))
        page = (
            '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Sign out'
            '</title><link rel="stylesheet" href="/assets/00-bootstrap-5.3.6.min.css"></head>'
            '<body><main class="container mt-5"><h1 class="h2">Sign out?</h1>'
            '<form method="post">{{ form.csrf_token }}<button class="btn btn-primary" '
            'type="submit">Sign out</button></form></main></body></html>'
        )
        return flask.render_template_string(page, form=SignOutForm())
    if who is not None and not _same_origin(flask.request):
        return _plain("Cross-origin sign-out refused.", 403)
    if not SignOutForm().validate_on_submit():
        return _plain("The sign-out form expired: reload the page and try again.", 400)
    if who is not None:
        audit("sign_out", user=who.get_id())
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect(flask.url_for("csc_auth.login", signed_out=1))


@blueprint.route("/healthz")
def healthz():
    return _json({"status": "ok"}, 200)


@blueprint.route("/auth/oidc/login")
def oidc_login():
    keeper = gatekeeper()
    if keeper.role_map is None:
        flask.abort(404)
    flask.session["csc_next"] = safe_next(flask.request.args.get("next"))
    redirect_uri = flask.url_for("csc_auth.oidc_callback", _external=True)
    return flask.current_app.extensions["authlib.integrations.flask_client"].csc.authorize_redirect(
        redirect_uri
    )


@blueprint.route("/auth/oidc/callback")
def oidc_callback():
    from authlib.integrations.base_client.errors import OAuthError

    keeper = gatekeeper()
    if keeper.role_map is None:
        flask.abort(404)
    client = flask.current_app.extensions["authlib.integrations.flask_client"].csc
    try:
        token = client.authorize_access_token()
    except OAuthError as err:
        audit("sign_in", result="failed", what="oidc", detail=f"{err.error}: {err.description}")
        return _login_page(f"Single sign-on did not complete ({err.error}).", status=401)
    claims = token.get("userinfo") or {}
    who = oidc.principal_for(claims, keeper.role_map)
    if who is None:
        audit(
            "sign_in",
            result="denied",
            what="oidc",
            user=f"oidc:{claims.get('sub')}",
            detail=f"no role: {keeper.role_map.claim} = {sorted(oidc.claim_values(claims, keeper.role_map.claim))}",
        )
        return _login_page(
            "Your account has no role in this dashboard. Ask your administrator to give you one.",
            status=403,
        )
    target = safe_next(flask.session.get("csc_next"))
    stored = {
        "name": who.name,
        "display_name": who.display_name,
        "auth_id": who.get_id(),
        "grants": oidc.grants_to_json(who),
    }
    keeper.sign_in(who, "oidc", stored)
    return flask.redirect(target)


# ##### Wiring


def init_app(
    app: dash.Dash,
    settings: SecuritySettings,
    *,
    store: UserStore | None = None,
    audit_store: AuditLog | None = None,
) -> Gatekeeper:
    """Put the gate, the sign-in pages and the headers on ``app``'s server."""
    server = app.server
    if settings.trusted_proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app,
            x_for=settings.trusted_proxies,
            x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies,
        )
    server.secret_key = keys.session_key(
        settings.secret_key,
        settings.secret_key_file or settings.auth_dir / "secret_key",
    )
    secure = settings.cookie_secure
    server.config.update(
        SESSION_COOKIE_NAME=("__Host-" if secure else "") + SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # Strict would drop it on the way back from SSO
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_max_hours),
        WTF_CSRF_TIME_LIMIT=3600,
    )
    store = store or UserStore(
        settings.users_path,
        max_failures=settings.login_max_failures,
        window_minutes=settings.login_window_minutes,
        client_max_failures=settings.client_max_failures,
    )
    audit_store = audit_store or AuditLog(settings.audit_path, settings.audit_retention_days)
    audit_log.init_app(server, audit_store)
    keeper = Gatekeeper(app, settings, store, audit_store)
    server.extensions[EXTENSION] = keeper

    manager = flask_login.LoginManager()
    manager.session_protection = "strong"  # a stolen cookie from another address is void
    manager.user_loader(keeper.load_user)
    manager.init_app(server)

    if settings.oidc is not None:
        from authlib.integrations.flask_client import OAuth

        keeper.role_map = oidc.load_role_map(settings.oidc.roles_file)
        oauth = OAuth(server)
        oauth.register(
            "csc",
            client_id=settings.oidc.client_id,
            client_secret=settings.oidc.client_secret,
            server_metadata_url=f"{settings.oidc.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc.scopes, "code_challenge_method": "S256"},
        )

    server.register_blueprint(blueprint)
    server.before_request(keeper.gate)
    keeper.talisman = Talisman(
        server,
        force_https=False,  # TLS ends at the council's reverse proxy (docs/security.md)
        strict_transport_security=True,  # sent only over TLS
        session_cookie_secure=secure,
        frame_options="DENY",
        content_security_policy={
            k: (list(v) if isinstance(v, list) else v) for k, v in CSP.items()
        },
        referrer_policy="strict-origin-when-cross-origin",
    )

    @server.after_request
    def no_store(response: flask.Response) -> flask.Response:
        path = flask.request.path
        if not path.startswith(("/assets/", "/_dash-component-suites/", "/_favicon.ico")):
            response.headers["Cache-Control"] = "no-store"
        return response

    @server.errorhandler(NotAllowed)
    def not_allowed(err: NotAllowed):
        status = 401 if isinstance(err, NotSignedIn) else 403
        return _json({"error": str(err)}, status)

    return keeper


def demo_mode() -> bool:
    """Whether this app runs in demo mode (``CSC_DEMO=1``: ``make demo`` only)."""
    if not flask.has_app_context():
        return False
    keeper = flask.current_app.extensions.get(EXTENSION)
    return bool(keeper and keeper.settings.demo)


def csrf_token() -> str:
    """A CSRF token for a form the Dash layout renders (the sign-out button)."""
    return generate_csrf()


def page_access_error(page: Mapping[str, Any]) -> str | None:
    """Why a registered page cannot be served (it declares no access)."""
    access = page.get("access")
    if access is None:
        return f"page {page['module']} ({page['path']}) declares no access= in register_page"
    try:
        Access(access)
    except ValueError:
        return f"page {page['module']}: unknown access {access!r}"
    return None
