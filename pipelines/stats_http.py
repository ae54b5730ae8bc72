"""Requests to stats.nba.com through nba_api's endpoint classes.

nba_api does the URL building and parsing; this module gives it a session
with dlt's retries and backoff (429, 5xx, timeouts, broken connections), keeps
a polite pause between requests, turns every failure into one clear error,
and archives each body it accepted so any state can be rebuilt offline.
"""

from __future__ import annotations

import hashlib
import sys
import time
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import requests
from dlt.sources.helpers.requests import Client
from nba_api.stats.endpoints._base import Endpoint
from nba_api.stats.library.http import NBAStatsHTTP

from nba_warehouse.offline.recordings import Recording, RecordingFolder

LIVE_URL = "https://stats.nba.com/stats/{endpoint}"


class StatsRequestError(RuntimeError):
    """A request that failed for good, after retries."""


def _describe(endpoint: str, params: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()) if v not in ("", None))
    return f"{endpoint} ({shown})"


def _server_message(response: requests.Response | None) -> str:
    if response is None:
        return ""
    try:
        message = response.json().get("message", "")
    except ValueError:
        message = response.text[:200]
    return f": {message}" if message else ""


class StatsClient:
    """One run's gateway to the stats API (live or a replay server)."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        request_delay: float = 0.6,
        archive: RecordingFolder | None = None,
        run_id: str = "",
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.request_delay = request_delay
        self.archive = archive
        self.run_id = run_id
        self.progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
        # each request as sent, ``endpoint (Param=value, ...)``, failed ones included
        self.requests: list[str] = []
        self.last_archived: Recording | None = None
        self._last_request_at = 0.0
        self._last_response: requests.Response | None = None
        session = Client().session
        session.hooks["response"].append(self._remember)
        NBAStatsHTTP.set_session(session)
        NBAStatsHTTP.base_url = base_url or LIVE_URL
        self.source = "live" if base_url is None else "replay"

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self._last_response = response
        return response

    def _pause(self) -> None:
        wait = self._last_request_at + self.request_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request_at = time.monotonic()

    def fetch(self, endpoint_cls: type[Endpoint], dataset: str, **kwargs: Any) -> dict[str, Any]:
        """Fetch one endpoint and return its named data set as ``{headers, data}``."""
        endpoint = endpoint_cls(**kwargs, get_request=False)
        where = _describe(endpoint_cls.endpoint, endpoint.parameters)
        self._pause()
        self._last_response = None
        self.last_archived = None
        started = time.monotonic()
        self.requests.append(where)
        try:
            endpoint.get_request()
            result = getattr(endpoint, dataset).get_dict()
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            raise StatsRequestError(f"{where} failed: HTTP {status}{_server_message(exc.response)}") from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise StatsRequestError(f"{where} failed: HTTP 200 but the body was truncated ({exc})") from exc
        except requests.RequestException as exc:
            raise StatsRequestError(f"{where} failed: no response ({type(exc).__name__}: {exc})") from exc
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            status = getattr(self._last_response, "status_code", "?")
            raise StatsRequestError(
                f"{where} failed: HTTP {status} but the body is not the expected JSON ({type(exc).__name__}: {exc})"
            ) from exc
        rows = len(result.get("data", []))
        self.progress(f"  [{len(self.requests):>3}] {where}: {rows} rows in {time.monotonic() - started:.1f}s")
        self._archive(endpoint_cls.endpoint)
        return result

    def _archive(self, endpoint: str) -> None:
        response = self._last_response
        if self.archive is None or response is None:
            return
        sent = {k: v[0] for k, v in parse_qs(urlsplit(response.url).query, keep_blank_values=True).items()}
        self.last_archived = self.archive.add(
            endpoint,
            sent,
            response.content,
            status=response.status_code,
            served_at=response.headers.get("Date"),
            # one file per request of the run: a run's chunks each have their own client
            name=f"{endpoint}_{self.run_id}_{hashlib.sha1(response.url.encode()).hexdigest()[:12]}",
            tags={"run_id": self.run_id, "source": self.source},
        )
