"""A local stand-in for stats.nba.com that serves a folder of recordings.

The live code path (nba_api endpoint classes on our HTTP session) runs
unchanged against it: only nba_api's base URL points here. Rows are filtered
the way the real service filters them, so a whole-season recording answers a
one-day window, and several archived windows answer a whole season. Faults
(status codes, delays, truncated bodies) can be injected to test retries.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import orjson

from nba_warehouse.offline.recordings import Recording, RecordingFolder
from nba_warehouse.nba import GAME_ID_PREFIX, parse_season

FAULTS_ENV = "NBA_WAREHOUSE_REPLAY_FAULTS"

# Presentation-only parameters: they never select a different recording.
_COSMETIC = {"Counter", "Sorter", "Direction", "DateFrom", "DateTo"}
_KEY_COLUMNS = ("GAME_ID", "TEAM_ID", "PLAYER_ID", "PERSON_ID")


def parse_api_date(value: str) -> date:
    """stats.nba.com accepts both MM/DD/YYYY and YYYY-MM-DD."""
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"expected a date as MM/DD/YYYY or YYYY-MM-DD, got {value!r}")


@dataclass
class Fault:
    """One injected fault: ``action`` is an HTTP status, ``truncate`` or ``delay=S``."""

    action: str
    remaining: int | None
    match: dict[str, str]

    def applies(self, endpoint: str, params: dict[str, str]) -> bool:
        if self.remaining == 0:
            return False
        return all(endpoint == v if k == "endpoint" else params.get(k) == v for k, v in self.match.items())


_FAULT_RE = re.compile(r"^(?P<action>\d{3}|truncate|delay=[\d.]+)(?:x(?P<times>\d+))?(?:@(?P<match>.+))?$")


def parse_faults(spec: str) -> list[Fault]:
    """Parse ``500x2;truncate@leaguegamelog;503@SeasonType=Playoffs`` into faults.

    ``xN`` limits a fault to its first N matching requests (default: every one);
    ``@`` restricts it to an endpoint or to ``Param=Value`` pairs joined by ``&``.
    """
    faults = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        m = _FAULT_RE.match(part)
        if not m:
            raise ValueError(f"{FAULTS_ENV}: expected STATUS|truncate|delay=SECONDS[xN][@endpoint|@Param=Value], got {part!r}")
        match: dict[str, str] = {}
        for cond in filter(None, (m["match"] or "").split("&")):
            key, sep, value = cond.partition("=")
            match.update({key: value} if sep else {"endpoint": key})
        faults.append(Fault(m["action"], int(m["times"]) if m["times"] else None, match))
    return faults


# The columns a row predicate reads: each predicate sees a row as a dict of these alone.
_FILTERED_COLUMNS = {"GAME_DATE", "SEASON_ID", "SEASON_YEAR", "GAME_ID"}


def _row_filters(request: dict[str, str], recorded: dict[str, str]) -> list[Callable[[dict[str, Any]], bool]]:
    """Row predicates for the request parameters that the recording did not already apply (reading only
    ``_FILTERED_COLUMNS``)."""
    filters: list[Callable[[dict[str, Any]], bool]] = []
    if request.get("DateFrom"):
        lo = parse_api_date(request["DateFrom"]).isoformat()
        filters.append(lambda r: "GAME_DATE" not in r or str(r["GAME_DATE"])[:10] >= lo)
    if request.get("DateTo"):
        hi = parse_api_date(request["DateTo"]).isoformat()
        filters.append(lambda r: "GAME_DATE" not in r or str(r["GAME_DATE"])[:10] <= hi)

    def broader(param: str) -> bool:
        return bool(request.get(param)) and not recorded.get(param)

    if broader("Season"):
        label, year = request["Season"], str(parse_season(request["Season"]))
        filters.append(lambda r: str(r.get("SEASON_ID", ""))[-4:] == year or r.get("SEASON_YEAR") == label)
    if broader("SeasonType") and request["SeasonType"] in GAME_ID_PREFIX:
        prefix = GAME_ID_PREFIX[request["SeasonType"]]
        filters.append(lambda r: str(r.get("GAME_ID", prefix)).startswith(prefix))
    if broader("GameID"):
        filters.append(lambda r: r.get("GAME_ID", request["GameID"]) == request["GameID"])
    if broader("GameDate"):
        day = parse_api_date(request["GameDate"]).isoformat()
        filters.append(lambda r: str(r.get("GAME_DATE", day))[:10] == day)
    return filters


class RecordingStore:
    """Answers a request from the recordings that match it."""

    def __init__(self, folder: RecordingFolder) -> None:
        self.folder = folder

    def candidates(self, endpoint: str, params: dict[str, str]) -> list[Recording]:
        def matches(entry: Recording) -> bool:
            if entry.endpoint != endpoint or entry.status != 200 or entry.tags.get("quarantined"):
                return False
            for key, value in params.items():
                if key in _COSMETIC:
                    continue
                recorded = entry.params.get(key, "")
                if recorded and recorded != value:
                    return False
            return True

        return [e for e in self.folder.entries if matches(e)]

    def answer(self, endpoint: str, params: dict[str, str]) -> bytes | None:
        found = self.candidates(endpoint, params)
        if not found:
            return None
        latest = found[-1]
        if len(found) == 1 and not _row_filters(params, latest.params):
            return self.folder.body(latest)
        bodies = [orjson.loads(self.folder.body(e)) for e in found]  # a season of player logs at a time: orjson, not json
        if "resultSets" not in bodies[-1]:
            return self.folder.body(latest)
        merged = self._merge(bodies, [_row_filters(params, e.params) for e in found])
        if len(found) == 1 and merged == bodies[-1]:
            return self.folder.body(latest)  # every row passed: the recorded bytes, not a re-encoding of them
        return orjson.dumps(merged)

    @staticmethod
    def _merge(bodies: list[dict[str, Any]], filters: list[list[Callable[[dict[str, Any]], bool]]]) -> dict[str, Any]:
        """Union the filtered rows of every matching body; for the same key the
        most recently recorded row wins, as it would on the live service."""
        merged = dict(bodies[-1])
        result_sets = []
        for position, result_set in enumerate(bodies[-1]["resultSets"]):
            headers = result_set["headers"]
            keys = [headers.index(c) for c in _KEY_COLUMNS if c in headers]
            rows: dict[Any, list[Any]] = {}
            sources = bodies if keys else bodies[-1:]
            source_filters = filters if keys else filters[-1:]
            for body, predicates in zip(sources, source_filters):
                other = body["resultSets"][position]
                index = {h: other["headers"].index(h) for h in headers if h in other["headers"]}
                filtered_on = {h: i for h, i in index.items() if h in _FILTERED_COLUMNS}
                same_headers = other["headers"] == headers
                for raw in other["rowSet"]:
                    if predicates and not all(p({h: raw[i] for h, i in filtered_on.items()}) for p in predicates):
                        continue
                    aligned = raw if same_headers else [raw[index[h]] if h in index else None for h in headers]
                    key = tuple(aligned[i] for i in keys) if keys else len(rows)
                    rows[key] = aligned
            result_sets.append({**result_set, "rowSet": list(rows.values())})
        merged["resultSets"] = result_sets
        return merged


class ReplayServer:
    """Serve a recordings folder on 127.0.0.1 for as long as the context is open."""

    def __init__(self, folder: Path, faults: list[Fault] | None = None) -> None:
        self.store = RecordingStore(RecordingFolder.open_existing(folder))
        self.faults = faults if faults is not None else parse_faults(os.environ.get(FAULTS_ENV, ""))
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/stats/{{endpoint}}"

    def __enter__(self) -> "ReplayServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _take_fault(self, endpoint: str, params: dict[str, str]) -> Fault | None:
        with self._lock:
            self.requests.append((endpoint, params))
            for fault in self.faults:
                if fault.applies(endpoint, params):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _send(self, status: int, body: bytes, declared_length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(declared_length or len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                endpoint = url.path.rstrip("/").rsplit("/", 1)[-1].lower()
                params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                fault = server._take_fault(endpoint, params)
                if fault and fault.action.startswith("delay="):
                    time.sleep(float(fault.action.split("=", 1)[1]))
                elif fault and fault.action.isdigit():
                    message = {"message": f"injected fault: HTTP {fault.action}"}
                    return self._send(int(fault.action), json.dumps(message).encode())
                try:
                    body = server.store.answer(endpoint, params)
                except ValueError as exc:
                    return self._send(400, json.dumps({"message": str(exc)}).encode())
                if body is None:
                    wanted = ", ".join(f"{k}={v}" for k, v in sorted(params.items()) if v and k not in _COSMETIC)
                    message = f"no recording of {endpoint} for {wanted} in {server.store.folder.root}"
                    return self._send(404, json.dumps({"message": message}).encode())
                if fault and fault.action == "truncate":
                    self._send(200, body[: len(body) // 2], declared_length=len(body))
                    self.close_connection = True
                    return
                self._send(200, body)

        return Handler
