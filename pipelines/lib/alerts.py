"""Record a pipeline failure where an engineer will see it: a log line, a JSON-lines file,
and optionally a webhook (e.g. a Teams or Slack incoming webhook) from settings.

A webhook that cannot be reached never raises: the alert is still in the file.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path


def record_alert(
    alerts_path: Path,
    *,
    run_id: str,
    job: str,
    message: str,
    webhook: str | None = None,
    timeout: float = 5.0,
) -> dict:
    alert = {
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "run_id": run_id,
        "job": job,
        "message": message,
        "webhook_sent": False,
    }
    if webhook:
        body = json.dumps({"text": f"CSC pipeline run {run_id} ({job}) failed: {message}"})
        request = urllib.request.Request(
            webhook, data=body.encode(), method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                alert["webhook_sent"] = True
        except OSError as exc:
            alert["webhook_error"] = str(exc)
    alerts_path.parent.mkdir(parents=True, exist_ok=True)
    with alerts_path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(alert) + "\n")
    return alert
