"""The Making Data Count icons as small inline SVG images with a word beside them, so
that the icon is never the only cue (colour, letter and word all say it).

Variation: a circle, blue for improvement, orange for concern, purple for a change in a
KPI with no better direction, grey for common cause; "H" or "L" says whether the special
cause is high or low, "~" is common cause. Assurance: "P" consistently passing (blue),
"F" consistently failing (orange), "?" hit and miss (grey).
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from dash import html

from dashboards import spc
from dashboards.spc_figures import BLUE, DARK, GREY, ORANGE, PURPLE

SVG_DATA = "data:image/svg+xml;charset=utf-8,"
SIZE = 26

_VARIATION_LOOK = {  # icon -> (fill, letter, text colour)
    spc.COMMON: (GREY, "~", "#ffffff"),
    spc.IMPROVEMENT_HIGH: (BLUE, "H", "#ffffff"),
    spc.IMPROVEMENT_LOW: (BLUE, "L", "#ffffff"),
    spc.CONCERN_HIGH: (ORANGE, "H", DARK),
    spc.CONCERN_LOW: (ORANGE, "L", DARK),
    spc.NEITHER_HIGH: (PURPLE, "H", "#ffffff"),
    spc.NEITHER_LOW: (PURPLE, "L", "#ffffff"),
}
_ASSURANCE_LOOK = {
    spc.PASS: (BLUE, "P", "#ffffff"),
    spc.FAIL: (ORANGE, "F", DARK),
    spc.HIT_AND_MISS: (GREY, "?", "#ffffff"),
}
#: Short words for tables (the long ones are in spc.VARIATION_TEXT / ASSURANCE_TEXT).
VARIATION_WORD = {
    spc.COMMON: "Common cause",
    spc.IMPROVEMENT_HIGH: "Improving",
    spc.IMPROVEMENT_LOW: "Improving",
    spc.CONCERN_HIGH: "Concerning",
    spc.CONCERN_LOW: "Concerning",
    spc.NEITHER_HIGH: "Higher than usual",
    spc.NEITHER_LOW: "Lower than usual",
}
ASSURANCE_WORD = {
    spc.PASS: "Consistently passing",
    spc.FAIL: "Consistently failing",
    spc.HIT_AND_MISS: "Hit and miss",
}


def icon_svg(fill: str, letter: str, ink: str, size: int = SIZE) -> str:
    """A filled circle with a letter in it, as SVG markup."""
    half = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><circle cx="{half}" cy="{half}" r="{half - 1}" '
        f'fill="{fill}" stroke="{DARK}" stroke-width="1"/><text x="{half}" y="{half}" '
        f'dy="0.35em" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-weight="bold" font-size="{size * 0.55:.0f}" fill="{ink}">{letter}</text></svg>'
    )


@functools.cache
def _source(kind: str, key: str) -> str:
    """An icon as an ``<img>`` source (a data URI), built once per icon."""
    look = _VARIATION_LOOK if kind == "variation" else _ASSURANCE_LOOK
    return SVG_DATA + quote(icon_svg(*look[key]))


def _icon(word: str, title: str, kind: str, key: str) -> html.Span:
    return html.Span(
        [
            html.Img(src=_source(kind, key), alt="", width=SIZE, height=SIZE, className="spc-icon"),
            html.Span(f" {word}", className="spc-word"),
        ],
        title=title,
        className=f"spc-badge spc-{kind} spc-{key.replace('_', '-')}",
        **{"data-spc": key},
    )


def variation_badge(variation: str | None, reason: str = "") -> html.Span:
    """The variation icon and its word; "no SPC" (with the reason as a tooltip) without."""
    if not isinstance(variation, str):
        return html.Span("no SPC", className="spc-badge spc-none", title=reason)
    return _icon(
        VARIATION_WORD[variation],
        spc.VARIATION_TEXT[variation],
        "variation",
        variation,
    )


def assurance_badge(assurance: str | None, why: str = "") -> html.Span:
    """The assurance icon and its word; a dash (with why) without."""
    if not isinstance(assurance, str):
        return html.Span("–", className="spc-badge spc-none", title=why)
    return _icon(
        ASSURANCE_WORD[assurance],
        spc.ASSURANCE_TEXT[assurance],
        "assurance",
        assurance,
    )


def legend() -> html.Div:
    """How to read the icons (the scorecard and the board summary show it)."""
    variation = [
        html.Li([variation_badge(v), f" — {spc.VARIATION_TEXT[v]}"], className="mb-1")
        for v in (spc.IMPROVEMENT_HIGH, spc.CONCERN_LOW, spc.NEITHER_HIGH, spc.COMMON)
    ]
    assurance = [
        html.Li([assurance_badge(a), f" — {spc.ASSURANCE_TEXT[a]}"], className="mb-1")
        for a in spc.ASSURANCES
    ]
    return html.Div(
        [
            html.P(
                "Variation and assurance follow NHS England's Making Data Count: a figure "
                "is special cause only when the last point is outside the process limits, "
                f"in a run of {spc.SHIFT_POINTS} on one side of the mean, in a trend of "
                f"{spc.TREND_POINTS} rising or falling points, or two of three close to a "
                "limit. Otherwise the month-to-month changes are common cause (noise). H "
                "and L say whether the signal is high or low.",
                className="small mb-1",
            ),
            html.Ul(variation, className="list-unstyled small mb-1 spc-legend"),
            html.Ul(assurance, className="list-unstyled small mb-0 spc-legend"),
        ]
    )
