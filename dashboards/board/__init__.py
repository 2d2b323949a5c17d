"""The board's working memory: commentary on each KPI, the board's actions for partners,
and its meetings, kept outside the published snapshot (which every publish replaces).

- ``store``: the SQLite file (WAL, versioned migrations, history kept, input checked).
- ``access``: who is writing, whether their role may write, and the audit of each write:
  the one place that meets sign-in (issue 11 wires its ``dashboards.auth`` in there).
- ``service``: the write paths the pages call (access, validation, store, audit).
- ``changes``: what changed since the last board (pure).
"""
