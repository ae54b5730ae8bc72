"""The recorded-response folder format shared by the archive, the synthetic
league and the replay server.

A folder holds ``index.json`` (a list of ``{file, endpoint, params, status,
served_at}`` entries, plus optional tags) and one gzip-compressed JSON body per
entry, exactly like ``../shared/nba_recorded``. Keeping one format means any
folder can be replayed, and the landing archive can rebuild the raw layer.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INDEX = "index.json"
COMPRESSION = 3  # gzip level of an archived body: a third of level 6's time for an eighth more bytes (an ingest archives every response)


@dataclass(frozen=True)
class Recording:
    file: str
    endpoint: str
    params: dict[str, str]
    status: int = 200
    served_at: str | None = None
    tags: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "endpoint": self.endpoint,
            "params": self.params,
            "status": self.status,
            "served_at": self.served_at,
            **self.tags,
        }


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.fchmod(fd, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class OutsideFolder(ValueError):
    """An index entry names a file outside its recordings folder."""


def _inside(root: Path, index: Path, file: object) -> None:
    """An index is data from elsewhere: an absolute path or ``..`` in it must not read files beyond the folder."""
    name = Path(str(file))
    if not isinstance(file, str) or name.is_absolute() or ".." in name.parts or not file.strip():
        raise OutsideFolder(f"{index}: entry file {file!r} is not inside the recordings folder: expected a relative file name like endpoint_1234.json.gz")


class RecordingFolder:
    """Reads and appends to one folder of recorded responses."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.entries: list[Recording] = []
        index = self.root / INDEX
        if index.exists():
            for raw in json.loads(index.read_text()):
                known = {k: raw.get(k) for k in ("file", "endpoint", "params", "status", "served_at")}
                _inside(self.root, index, known["file"])
                tags = {k: v for k, v in raw.items() if k not in known}
                self.entries.append(Recording(**known, tags=tags))

    @classmethod
    def open_existing(cls, root: Path) -> "RecordingFolder":
        if not (Path(root) / INDEX).is_file():
            raise FileNotFoundError(f"{root}: expected a recordings folder with an {INDEX}")
        return cls(root)

    @property
    def source(self) -> str:
        """``synthetic`` when the folder was written by the synthetic league, ``derived`` when its box scores were
        derived from real results (offline/history.py), else ``replay``."""
        for label in ("synthetic", "derived"):
            if any(e.tags.get(label) for e in self.entries):
                return label
        return "replay"

    def body(self, entry: Recording) -> bytes:
        return gzip.decompress((self.root / entry.file).read_bytes())

    def add(
        self,
        endpoint: str,
        params: dict[str, Any],
        body: bytes,
        *,
        status: int = 200,
        served_at: str | None = None,
        name: str | None = None,
        tags: dict[str, Any] | None = None,
        write_index: bool = True,
    ) -> Recording:
        """Store one body unchanged and index it; the index is replaced atomically
        so a crash never leaves an entry pointing at a missing file."""
        self.root.mkdir(parents=True, exist_ok=True)
        params = {k: "" if v is None else str(v) for k, v in params.items()}
        if name is None:
            digest = hashlib.sha1(body).hexdigest()[:12]
            name = f"{endpoint}_{digest}"
        entry = Recording(f"{name}.json.gz", endpoint, params, status, served_at, dict(tags or {}))
        atomic_write(self.root / entry.file, gzip.compress(body, compresslevel=COMPRESSION, mtime=0))
        self.entries = [e for e in self.entries if e.file != entry.file] + [entry]
        if write_index:
            self.write_index()
        return entry

    def tag(self, entry: Recording, **tags: Any) -> Recording:
        """Add tags to an indexed entry (the quarantine mark, for one)."""
        tagged = Recording(entry.file, entry.endpoint, entry.params, entry.status, entry.served_at, {**entry.tags, **tags})
        self.entries = [tagged if e.file == entry.file else e for e in self.entries]
        self.write_index()
        return tagged

    def write_index(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        payload = json.dumps([e.to_json() for e in self.entries], indent=1).encode()
        atomic_write(self.root / INDEX, payload)
