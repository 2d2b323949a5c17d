"""The board pack: a front section the board reads, then everything else as an appendix,
printed to one PDF.

    python -m dashboards.boardpack --la 850 --out data/boardpack-850.pdf [--serving PATH]
    make boardpack LA=850

Front section (at most ``FRONT_PAGE_LIMIT`` pages): the contents, then the board summary's
parts (``/board?part=...``): every KPI on one page with its Making Data Count icons and
what changed since the last board; what changed, in full; the exceptions (special cause
concerning or consistently failing: chart, commentary, partner, actions); the partners'
actions due and overdue. Appendix: the scorecard, the Partners page and every KPI page.

It starts the dashboard in this process (werkzeug's WSGI server on a free loopback port,
in a thread) against the published snapshot and the board's store (commentary, actions,
meetings), signs in to it as a board member (an account made for this run only, in a
temporary folder, with a random password, through the sign-in page), opens each page in
Debian's chromium through Playwright (the system browser, ``/usr/bin/chromium``: never
``playwright install``), prints it with the print stylesheets (``assets/20-print.css``,
``40-board.css``: A4 landscape, no navigation, forms or buttons, whole table rows) and
joins the pages behind a contents page with pypdf: a bookmark per page, and "page n of N"
on every sheet. What the board sees is what is printed: aggregate pages only, never
child-level data, and every figure disclosure-controlled (counts of 1 to 5 "fewer than
6", what could give them away "suppressed"). Each pack is recorded in the audit log.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import getpass
import html
import io
import logging
import secrets
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboards import data
from dashboards import formatting as fmt
from dashboards.auth import auditlog
from dashboards.auth.context import acting_as
from dashboards.auth.roles import Access, service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The width of A4 landscape inside the print margins (277 mm) in CSS pixels, so that
#: charts are drawn at the width they are printed.
PRINT_WIDTH_PX = 1040
PAGE_TIMEOUT_MS = 60_000
#: Rows of each table printed (newest first: two years of months); the rest is said.
MAX_TABLE_ROWS = 24
PDF_OPTIONS = {
    "format": "A4",
    "landscape": True,
    "print_background": True,
    "prefer_css_page_size": True,
}

#: True once a page has drawn: Dash idle, the heading there, every chart and grid drawn
#: and the freshness banner filled in by its callback.
_READY = """() => {
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  if (!document.querySelector('#_pages_content h1')) return false;
  const banner = document.querySelector('#shell-freshness');
  if (!banner || !banner.textContent.trim()) return false;
  const charts = [...document.querySelectorAll('.chart')];
  if (charts.some(c => !c.querySelector('.main-svg'))) return false;
  if ([...document.querySelectorAll('img.sparkline')].some(i => !i.complete)) return false;
  const grids = [...document.querySelectorAll('.data-grid > [id]')];
  return grids.every(g => g.querySelector('.ag-root-wrapper'));
}"""
#: Resolves after two animation frames: AG Grid has laid out its print layout by then.
_NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class BoardPackError(RuntimeError):
    """The board pack cannot be made (no snapshot, unknown LA, no browser)."""


#: The front section's most pages, contents included (the issue's limit for a board paper).
FRONT_PAGE_LIMIT = 12
FRONT, APPENDIX = "front", "appendix"


@dataclass(frozen=True)
class Section:
    title: str
    path: str
    area: str = ""
    part: str = APPENDIX


@dataclass(frozen=True)
class BoardPack:
    path: Path
    sections: list[tuple[Section, int]]  # each section and its first page (1-based)
    pages: int
    front_pages: int = 0  # the contents and the front sections

    @property
    def appendix_pages(self) -> int:
        return self.pages - self.front_pages


def sections(la: str) -> list[Section]:
    """The front section (the board summary's parts), then the appendix: the scorecard,
    the Partners page and every KPI of the catalogue in its order."""
    catalogue = data.catalogue()
    out = [
        Section("Summary: every KPI", f"/board?la={la}&part=summary", "Board summary", FRONT),
        Section(
            "What changed since the last board",
            f"/board?la={la}&part=changes",
            "Board summary",
            FRONT,
        ),
        Section("Exceptions", f"/board?la={la}&part=exceptions", "Board summary", FRONT),
        Section(
            "Partners' actions due and overdue",
            f"/board?la={la}&part=actions",
            "Board summary",
            FRONT,
        ),
        Section("Board scorecard", f"/?la={la}", ""),
        Section("Partners", f"/partners?la={la}", ""),
    ]
    for kpi in catalogue.to_dict("records"):
        area = "" if fmt.is_missing(kpi.get("area")) else str(kpi["area"])
        out.append(Section(str(kpi["name"]), f"/kpi/{kpi['kpi_id']}?la={la}", area))
    return out


@contextlib.contextmanager
def serve_app(app) -> Iterator[str]:
    """``app`` on a free loopback port, in a thread; yields its base URL (the browser
    tests serve their app with it too)."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


BOARD_ACCOUNT = "board-pack"


@contextlib.contextmanager
def serve(serving_path: Path, la: str, board_path: Path | None = None) -> Iterator[tuple[str, str]]:
    """The dashboard reading ``serving_path`` (and the board store at ``board_path``, else
    the settings' one), served by ``serve_app``, with one account: a board member of ``la``
    made for this run (accounts and session key in a temporary folder; the audit log is the
    install's). Yields (base URL, its password)."""
    from dashboards.app import create_app
    from dashboards.board.store import BOARD_PATH_KEY
    from pipelines.settings import get_security_settings

    settings = get_security_settings()
    with tempfile.TemporaryDirectory(prefix="csc-boardpack-") as folder:
        own = dataclasses.replace(
            settings,
            auth_dir=Path(folder),
            secret_key=secrets.token_hex(32),
            oidc=None,
            demo=False,
            trusted_proxies=0,
        )
        audit_log = auditlog.AuditLog(settings.audit_path, settings.audit_retention_days)
        app = create_app(serving_path=serving_path, security=own, audit_log=audit_log)
        if board_path is not None:
            app.server.config[BOARD_PATH_KEY] = str(board_path)
        password = secrets.token_urlsafe(24)
        app.server.extensions["csc_auth"].store.add(BOARD_ACCOUNT, password, ["board"], [la])
        with serve_app(app) as url:
            yield url, password


def sign_in(page, password: str) -> None:
    """Sign the browser in as the board pack's account, through the sign-in page."""
    page.goto("/login")
    page.get_by_label("Account name").fill(BOARD_ACCOUNT)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _open(context, path: str):
    """A tab for printing, loading ``path``."""
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.emulate_media(media="print")
    page.goto(path)
    return page


def _print_when_drawn(page) -> bytes:
    page.wait_for_function(_READY, timeout=PAGE_TIMEOUT_MS, polling=100)
    page.evaluate(
        "n => window.cscPrintLayout && window.cscPrintLayout(true, {maxRows: n})", MAX_TABLE_ROWS
    )
    page.evaluate(_NEXT_FRAMES)
    page.wait_for_function(_READY, timeout=PAGE_TIMEOUT_MS, polling=100)
    return page.pdf(
        **PDF_OPTIONS, margin={"top": "12mm", "bottom": "14mm", "left": "10mm", "right": "10mm"}
    )


def _contents_rows(items: Sequence[tuple[Section, int]]) -> str:
    """The front section as a table; the appendix as two columns of "page ... n"."""
    front = [(s, first) for s, first in items if s.part == FRONT]
    appendix = [(s, first) for s, first in items if s.part == APPENDIX]
    out = ""
    if front:
        rows = "".join(
            f'<tr><td>{html.escape(s.title)}</td><td class="n">{first}</td></tr>'
            for s, first in front
        )
        out += '<h2>Front section</h2><table class="front"><tbody>' + rows + "</tbody></table>"
    if appendix:
        entries = "".join(
            f'<li><span>{html.escape(s.title)}</span><span class="n">{first}</span></li>'
            for s, first in appendix
        )
        out += f'<h2>Appendix</h2><ol class="appendix">{entries}</ol>'
    return out


def _contents_html(la: str, items: Sequence[tuple[Section, int]], info: dict) -> str:
    as_at = fmt.format_date(info["extract_date"]) if info.get("extract_date") is not None else ""
    published = (
        fmt.format_datetime(info["published_at"]) if info.get("published_at") is not None else ""
    )
    facts = " · ".join(
        part
        for part in (
            f"Data as at {as_at}" if as_at else "",
            f"published {published}" if published else "",
            f"printed {fmt.format_date(dt.date.today())}",
        )
        if part
    )
    rows = _contents_rows(items)
    name = html.escape(data.la_label(la))
    return f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Board pack — {name}</title>
<style>
  @page {{ size: A4 landscape; margin: 14mm 14mm 16mm; }}
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
         color: #0b0c0c; font-size: 10.5pt; }}
  h1 {{ font-size: 20pt; margin: 0 0 4pt; }}
  p {{ margin: 0 0 10pt; color: #505a5f; }}
  table {{ border-collapse: collapse; width: 100%; }}
  th, td {{ text-align: left; padding: 3pt 6pt; border-bottom: 1px solid #b1b4b6; }}
  tr {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  .n {{ text-align: right; width: 5em; }}
  h2 {{ font-size: 12pt; margin: 8pt 0 3pt; }}
  table.front td {{ font-size: 11pt; }}
  ol.appendix {{ columns: 2; column-gap: 12mm; list-style: none; padding: 0; margin: 0;
                font-size: 8.5pt; }}
  ol.appendix li {{ display: flex; justify-content: space-between; gap: 6pt;
                   border-bottom: 1px solid #dee0e2; padding: 1pt 0; break-inside: avoid; }}
</style></head><body>
<h1>Board pack — {name}</h1>
<p>{html.escape(facts)}</p>
<p>The front section is what needs the board's attention: every KPI on one page with its
Making Data Count icons (variation: H or L for a high or low special cause, ~ for common
cause; assurance: P consistently passing, F consistently failing, ? hit and miss), what
changed since the last board, the exceptions with their commentary and actions, and the
partners' actions due and overdue. RAG is a word and a shape: ● Green meets target,
▲ Amber within tolerance, ■ Red outside tolerance. The appendix holds the scorecard, the
partners and every KPI page (SPC chart, districts with 95% intervals, figures by period,
definition).</p>
{rows}
</body></html>"""


def _page_numbers_html(total: int, la: str) -> str:
    """One sheet per page of the pack, blank but for "Board pack Hampshire · page n of N"."""
    name = html.escape(data.la_label(la))
    sheets = "".join(
        f'<div class="sheet"><span>Board pack — {name} · page {n} of {total}</span></div>'
        for n in range(1, total + 1)
    )
    return f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><style>
  @page {{ size: A4 landscape; margin: 0; }}
  body {{ margin: 0; font-family: system-ui, Arial, sans-serif; font-size: 8pt; color: #505a5f; }}
  .sheet {{ height: 210mm; width: 297mm; position: relative; break-after: page; }}
  .sheet span {{ position: absolute; right: 10mm; bottom: 5mm; }}
</style></head><body>{sheets}</body></html>"""


def _html_pdf(page, content: str) -> bytes:
    page.set_content(content)
    return page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)


def _count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def build(
    la: str,
    out: Path,
    serving_path: Path | None = None,
    chromium: str = CHROMIUM,
    board_path: Path | None = None,
) -> BoardPack:
    """Print LA ``la``'s board pack to ``out`` from the snapshot at ``serving_path`` and
    the board's store at ``board_path`` (default: the settings')."""
    from pypdf import PdfReader, PdfWriter

    from pipelines.settings import get_settings

    serving = Path(serving_path or get_settings().serving_path).expanduser().resolve()
    if not serving.is_file():
        raise BoardPackError(
            f"No published snapshot at {serving}: run `make demo` (or `make materialize`) first."
        )
    if not Path(chromium).exists() and not shutil.which(chromium):
        raise BoardPackError(
            f"chromium was not found at {chromium}: install Debian's chromium (`make chromium`)."
        )
    with (
        data.use_snapshot(serving),
        acting_as(service("board pack", Access.AGGREGATES).with_suppression()),
    ):
        las = data.las()
        if la not in las:
            raise BoardPackError(f"LA {la} is not in the snapshot; it has: {', '.join(las)}.")
        wanted = sections(la)
        info = data.freshness(la)
        name = data.la_label(la)

    from playwright.sync_api import sync_playwright

    printed: list[bytes] = []
    with serve(serving, la, board_path) as (base, password), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                base_url=base, viewport={"width": PRINT_WIDTH_PX, "height": 1400}
            )
            # One tab, page after page: on two cores, tabs loading side by side were slower.
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            sign_in(page, password)
            page.close()
            page = _open(context, wanted[0].path)
            for i, section in enumerate(wanted):
                if i:
                    page.goto(section.path)
                printed.append(_print_when_drawn(page))
            counts = [_count_pages(pdf) for pdf in printed]
            # The contents' own length does not depend on its page numbers: print it once
            # to count its pages, then again with the numbers.
            with data.use_snapshot(serving):
                draft = _html_pdf(page, _contents_html(la, [(s, 0) for s in wanted], info))
            first, items = _count_pages(draft) + 1, []
            for section, count in zip(wanted, counts, strict=True):
                items.append((section, first))
                first += count
            with data.use_snapshot(serving):  # the LA's name
                contents = _html_pdf(page, _contents_html(la, items, info))
                total = first - 1
                numbers = PdfReader(io.BytesIO(_html_pdf(page, _page_numbers_html(total, la))))
        finally:
            browser.close()

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(contents)))
    writer.add_outline_item(title="Contents", page_number=0)
    for (section, start), pdf in zip(items, printed, strict=True):
        writer.append(PdfReader(io.BytesIO(pdf)))
        writer.add_outline_item(title=section.title, page_number=start - 1)
    for sheet, number in zip(writer.pages, numbers.pages, strict=True):
        sheet.merge_page(number)
    writer.add_metadata({"/Title": f"Board pack — {name}", "/Creator": "dashboards.boardpack"})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("wb") as handle:
        writer.write(handle)
    tmp.replace(out)
    _record(la, out, total)
    front = next((first for s, first in items if s.part == APPENDIX), total + 1) - 1
    return BoardPack(out, items, total, front)


def _record(la: str, out: Path, sheets: int) -> None:
    """The pack in the audit log: who made it, of which LA, where it went."""
    from pipelines.settings import get_security_settings

    settings = get_security_settings()
    event = auditlog.Event(
        "download",
        what="board pack (PDF)",
        la=la,
        user=f"os:{getpass.getuser()}",
        detail=f"{out}; {sheets} sheets; disclosure-controlled",
    )
    auditlog.AuditLog(settings.audit_path, settings.audit_retention_days).append([event])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--la", required=True, help="LA code, e.g. 850")
    parser.add_argument("--out", type=Path, help="PDF to write (default data/boardpack-<la>.pdf)")
    parser.add_argument("--serving", type=Path, help="snapshot (default: the settings' one)")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"browser (default {CHROMIUM})")
    parser.add_argument("--board", type=Path, help="board store (default: the settings' one)")
    args = parser.parse_args(argv)
    out = args.out or Path("data") / f"boardpack-{args.la}.pdf"
    try:
        pack = build(args.la, out, args.serving, args.chromium, args.board)
    except BoardPackError as err:
        print(f"boardpack: {err}", file=sys.stderr)
        return 2
    front = [s for s, _ in pack.sections if s.part == FRONT]
    print(
        f"Wrote {pack.path}: {pack.pages} sheets. Front section: {pack.front_pages} pages "
        f"(contents and {len(front)} parts; at most {FRONT_PAGE_LIMIT}). Appendix: "
        f"{pack.appendix_pages} pages ({len(pack.sections) - len(front)} pages of the dashboard)."
    )
    if pack.front_pages > FRONT_PAGE_LIMIT:
        print(
            f"boardpack: the front section has {pack.front_pages} pages, more than "
            f"{FRONT_PAGE_LIMIT}.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
