"""A content-addressed file cache for expensive build products (rendered charts, Excel files).

An entry's key is the hash of everything that determines it, so a stale entry can never be
served: changed input means a new key. Delete the folder to start cold.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..store.atomic import atomic_write_bytes


def key(*parts: str | bytes) -> str:
    """Return the hash of the parts, in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Files under `root/<kind>/<key>`; with `root` None nothing is kept."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, kind: str, entry: str) -> Path:
        assert self.root is not None
        return self.root / kind / entry

    def get(self, kind: str, entry: str) -> bytes | None:
        if self.root is None:
            return None
        path = self._path(kind, entry)
        return path.read_bytes() if path.is_file() else None

    def put(self, kind: str, entry: str, data: bytes) -> None:
        if self.root is not None:
            atomic_write_bytes(self._path(kind, entry), data)
