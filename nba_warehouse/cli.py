"""``nba-warehouse``: the one entry point for everything that is not plain ``sqlmesh``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from nba_warehouse.database import BadGateway
from nba_warehouse.nba import RAW_TABLES, REQUESTED_SEASON_TYPES, parse_season
from nba_warehouse.offline.recordings import INDEX, RecordingFolder
from nba_warehouse.project import BadWarehousePath, ProjectNotFound, WarehousePaths
from nba_warehouse.runs import CHUNK_DAYS, REFETCH_LAG_DAYS
from nba_warehouse.runs.lock import WarehouseBusy
from nba_warehouse.teardown import skip_teardown

PROG = "nba-warehouse"
EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the warehouse, try again later


class UsageError(ValueError):
    """Bad input, reported in one line before anything is fetched or written."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _season(value: str) -> str:
    try:
        parse_season(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _season_type(value: str) -> str:
    if value not in REQUESTED_SEASON_TYPES:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(map(repr, REQUESTED_SEASON_TYPES))}, got {value!r}")
    return value


def _resources(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in RAW_TABLES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(RAW_TABLES)}, got {value!r}")
    return names


def _replay_dir(value: str) -> Path:
    path = Path(value)
    if not (path / INDEX).is_file():
        raise argparse.ArgumentTypeError(f"expected a recordings folder containing {INDEX}, got {value!r}")
    try:
        RecordingFolder(path)
    except ValueError as exc:  # a malformed index, or one naming files outside the folder
        raise argparse.ArgumentTypeError(str(exc)) from None
    return path


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days >= 1, got {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Load stats.nba.com data into the NBA warehouse.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ingest = commands.add_parser("ingest", help="fetch game logs, players, schedule and teams into the raw schema")
    ingest.add_argument("--season", action="append", required=True, type=_season, help="season like 2025-26 (repeatable)")
    ingest.add_argument(
        "--season-type", action="append", type=_season_type, help=f"one of {', '.join(REQUESTED_SEASON_TYPES)} (repeatable; default all)"
    )
    ingest.add_argument("--start", type=_day, help="first game date to fetch, YYYY-MM-DD")
    ingest.add_argument("--end", type=_day, help="last game date to fetch, YYYY-MM-DD")
    ingest.add_argument("--resources", type=_resources, default=list(RAW_TABLES), help=f"comma-separated subset of {','.join(RAW_TABLES)}")
    ingest.add_argument("--replay", type=_replay_dir, help="serve this recordings folder instead of stats.nba.com")
    ingest.add_argument("--request-delay", type=_seconds, help="seconds between requests (default 0.6 live, 0 replayed)")

    daily = commands.add_parser("daily", help="fetch the last days, validate, load and run the prod models")
    daily.add_argument("--date", type=_day, help="the last day of the window (default today)")
    backfill = commands.add_parser("backfill", help="the daily path over a range of dates, in resumable chunks")
    backfill.add_argument("--start", type=_day, required=True, help="first game date, YYYY-MM-DD")
    backfill.add_argument("--end", type=_day, required=True, help="last game date, YYYY-MM-DD")
    backfill.add_argument("--chunk-days", type=_positive, default=CHUNK_DAYS, help=f"days per chunk (default {CHUNK_DAYS})")
    for command in (daily, backfill):
        command.add_argument("--replay", type=_replay_dir, help="serve this recordings folder instead of stats.nba.com")
        command.add_argument("--request-delay", type=_seconds, help="seconds between requests (default 0.6 live, 0 replayed)")

    synth = commands.add_parser("synth", help="write a deterministic synthetic league as a recordings folder")
    synth.add_argument("--seasons", type=int, required=True, help="number of seasons, ending with --last-season")
    synth.add_argument("--out", type=Path, required=True, help="folder to write (must be empty or absent)")
    synth.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    synth.add_argument("--last-season", type=_season, default="2025-26", help="the newest season (default 2025-26)")
    synth.add_argument("--through", type=_day, help="play the newest season only through this date; later games stay scheduled")

    report = commands.add_parser("report", help="write a static HTML report of the prod views")
    report.add_argument("--out", type=Path, help="folder to write index.html into (default: report/ beside the warehouse)")
    report.add_argument("--season", type=_season, help="season like 2025-26 (default: the newest with standings)")
    return parser


def _start_quality_gate() -> None:
    """Great Expectations takes seconds to import: its process starts before this one imports dlt and SQLMesh,
    unless another run holds the warehouse (this one will stop at the lock, and need not wait for the import)."""
    from nba_warehouse.runs.manifest import warehouse_is_held
    from pipelines import gate_process

    if not warehouse_is_held(WarehousePaths.from_env().root):
        gate_process.start()


def _ingest(args: argparse.Namespace) -> int:
    if args.start and args.end:
        _in_order(args.start, args.end)
    _start_quality_gate()
    from nba_warehouse.runs.manifest import hold_warehouse
    from pipelines.ingest import describe, new_run_id, run_ingest
    from pipelines.source import Window

    window = Window(tuple(dict.fromkeys(args.season)), tuple(dict.fromkeys(args.season_type or REQUESTED_SEASON_TYPES)), args.start, args.end)
    run_id = new_run_id()
    with hold_warehouse(WarehousePaths.from_env().root, run_id, "ingest"):
        result = run_ingest(window, args.resources, replay=args.replay, request_delay=args.request_delay, run_id=run_id)
    print(describe(result))
    for error in result.errors:
        print(f"{PROG} ingest: failed: {error}", file=sys.stderr)
    return 0 if result.ok else 1


def _in_order(start: date, end: date) -> None:
    if end < start:
        raise UsageError(f"--end {end} is before --start {start}: expected --end on or after --start")


def _arguments(args: argparse.Namespace) -> dict[str, object]:
    """The command's arguments as given, for the run manifest."""
    return {k: v for k, v in vars(args).items() if k != "command"}


def _in_the_past(flag: str, day: date) -> None:
    if day > date.today():
        raise UsageError(f"{flag} {day} is in the future: expected a date up to today ({date.today()})")


def _daily(args: argparse.Namespace) -> int:
    end = args.date or date.today()
    _in_the_past("--date", end)
    _start_quality_gate()
    from nba_warehouse.runs.job import run_range

    start = end - timedelta(days=REFETCH_LAG_DAYS)
    return run_range(
        "daily", start, end, arguments=_arguments(args), replay=args.replay, request_delay=args.request_delay, chunk_days=CHUNK_DAYS
    )


def _backfill(args: argparse.Namespace) -> int:
    _in_order(args.start, args.end)
    _in_the_past("--end", args.end)
    _start_quality_gate()
    from nba_warehouse.runs.job import run_range

    return run_range(
        "backfill",
        args.start,
        args.end,
        arguments=_arguments(args),
        replay=args.replay,
        request_delay=args.request_delay,
        chunk_days=args.chunk_days,
        resume=True,
    )


def _synth(args: argparse.Namespace) -> int:
    from nba_warehouse.offline.synth import write_league

    if not 1 <= args.seasons <= 80:
        raise UsageError(f"--seasons {args.seasons}: expected a number of seasons from 1 to 80")
    if args.out.exists() and any(args.out.iterdir()):
        raise UsageError(f"--out {args.out}: expected an empty or missing folder")
    summary = write_league(args.out, seasons=args.seasons, last_season=args.last_season, seed=args.seed, through=args.through)
    print(summary)
    return 0


def _report(args: argparse.Namespace) -> int:
    from nba_warehouse.explore.questions import NoData
    from nba_warehouse.explore.reader import Reader, WarehouseMissing
    from nba_warehouse.explore.report import write_report

    out = args.out or WarehousePaths.from_env().root / "report"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file: expected a folder to write index.html into")
    try:
        path = write_report(Reader.from_env(), out, args.season)
    except (WarehouseMissing, NoData) as exc:
        raise UsageError(str(exc)) from None
    print(f"report: {path}")
    return 0


def _root_cause(exc: BaseException) -> BaseException:
    """dlt wraps a resource's exception in its own step errors; show the original."""
    from pipelines.stats_http import StatsRequestError

    seen = exc
    while seen is not None:
        if isinstance(seen, (StatsRequestError, UsageError)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"ingest": _ingest, "daily": _daily, "backfill": _backfill, "synth": _synth, "report": _report}
    try:
        if args.command != "synth":
            WarehousePaths.from_env()  # a path SQLMesh cannot use is refused before anything runs
        return handlers[args.command](args)
    except (UsageError, BadWarehousePath, ProjectNotFound, BadGateway) as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except WarehouseBusy as exc:
        print(f"{PROG} {args.command}: busy: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except Exception as exc:  # noqa: BLE001 - the CLI's job is to report any failure in one line
        cause = _root_cause(exc)
        print(f"{PROG} {args.command}: failed: {cause}", file=sys.stderr)
        return 1


def console() -> None:
    """The ``nba-warehouse`` command: ``main``, ending without the interpreter's teardown (``teardown``)."""
    exit_code = 1  # an exception escaping main
    skip_teardown(lambda: exit_code)
    try:
        exit_code = main()
    except SystemExit as exc:  # argparse's usage errors and --help
        exit_code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        raise
    sys.exit(exit_code)


if __name__ == "__main__":
    console()
