"""Bad arguments fail fast: one line naming the argument, non-zero, nothing written."""

from __future__ import annotations

import pytest

CASES = [
    (["--season", "2025-2026"], "--season"),
    (["--season", "2025-27"], "--season"),
    (["--season", "2025-26", "--start", "2026-01-05", "--end", "2026-01-01"], "--end"),
    (["--season", "2025-26", "--start", "2026-13-01"], "--start"),
    (["--season", "2025-26", "--season-type", "All Star"], "--season-type"),
    (["--season", "2025-26", "--resources", "team_game_logs,box_scores"], "--resources"),
    (["--season", "2025-26", "--replay", "/nonexistent/recordings"], "--replay"),
]


@pytest.mark.parametrize(("args", "named"), CASES)
def test_bad_ingest_arguments(warehouse, args, named):
    result = warehouse.cli("ingest", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0] and "expected" in lines[0]
    assert not warehouse.db.parent.exists(), "a rejected command must not create the warehouse"


def test_synth_refuses_a_non_empty_folder(tmp_path, warehouse):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = warehouse.cli("synth", "--seasons", "1", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--out" in result.stderr and (tmp_path / "out" / "keep.txt").read_text() == "mine"
