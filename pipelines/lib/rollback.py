"""Put the previous published snapshot back (and keep the current one as 'previous').

Both files are copied and swapped in with ``os.replace``, so a dashboard reader sees a
whole snapshot at every moment; running it twice undoes it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


class NothingToRollBack(Exception):
    pass


def rollback(current: Path, previous: Path) -> None:
    if not previous.exists():
        raise NothingToRollBack(f"no previous snapshot at {previous}: nothing to roll back to")
    tmp_prev = previous.with_name(f".{previous.stem}.{uuid.uuid4().hex}.tmp")
    shutil.copy2(previous, tmp_prev)
    if current.exists():
        tmp_cur = current.with_name(f".{current.stem}.{uuid.uuid4().hex}.tmp")
        shutil.copy2(current, tmp_cur)
        os.replace(tmp_prev, current)
        os.replace(tmp_cur, previous)
    else:
        os.replace(tmp_prev, current)


def main() -> None:
    from pipelines.settings import get_settings

    settings = get_settings()
    try:
        rollback(settings.serving_path, settings.previous_serving_path)
    except NothingToRollBack as exc:
        raise SystemExit(str(exc)) from None
    print(f"rolled back: {settings.serving_path} is now the previous snapshot")  # noqa: T201 (a command reports what it did)


if __name__ == "__main__":
    main()
