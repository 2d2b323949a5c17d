"""Same arguments give byte-identical files; one LA's data never depends on the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.synth import SynthConfig, generate

AS_AT = date(2026, 6, 30)


def _files(root: Path, under: str = "") -> dict[str, bytes]:
    base = root / under if under else root
    return {
        str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()
    }


def _run(out: Path, las: tuple[str, ...], seed: int = 42, jobs: int = 1) -> None:
    generate(
        SynthConfig(
            out=out, las=las, scale=0.05, years=3, as_at=AS_AT, seed=seed, jobs=jobs, quiet=True
        )
    )


def test_two_runs_write_identical_bytes(tmp_path):
    _run(tmp_path / "a", ("851", "921"))
    _run(tmp_path / "b", ("851", "921"))
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) > 50 and first == second


def test_another_seed_gives_other_data(tmp_path):
    _run(tmp_path / "a", ("921",))
    _run(tmp_path / "b", ("921",), seed=43)
    first, second = _files(tmp_path / "a", "921"), _files(tmp_path / "b", "921")
    assert first.keys() == second.keys()
    changed = [name for name in first if first[name] != second[name]]
    assert any(name.endswith("episodes.csv") for name in changed)
    assert first["local/2026-06-30/teams.csv"] == second["local/2026-06-30/teams.csv"]


def test_an_la_does_not_depend_on_the_others_nor_on_jobs(tmp_path):
    _run(tmp_path / "alone", ("921",))
    _run(tmp_path / "together", ("851", "921", "852"), jobs=2)
    assert _files(tmp_path / "alone", "921") == _files(tmp_path / "together", "921")


def test_rerun_replaces_an_la_folder(tmp_path):
    _run(tmp_path, ("921",))
    stale = tmp_path / "921" / "ssda903" / "2001-02"
    stale.mkdir(parents=True)
    _run(tmp_path, ("921",))
    assert not stale.exists()
