"""JSONL: one document record a line, exactly the ANNOTATION.md §3 view plus our keys."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class JsonlWriter:
    def __init__(self, path: Path, *, resume: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._existing: set[str] = set()
        self._done = self._read_done() if resume else {}
        self._redone = False
        # A line is written whole and flushed, so a killed run leaves at most one torn last
        # line, which _read_done skips and the rerun writes again.
        self._fh = open(self.path, "a" if resume else "w", encoding="utf-8")
        if resume and self._torn_tail():
            self._fh.write("\n")

    def _read_done(self) -> dict[str, tuple[str | None, str | None]]:
        done: dict[str, tuple[str | None, str | None]] = {}
        if not self.path.exists():
            return done
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self._existing.add(rec["id"])
                if rec.get("status", "ok") == "ok":
                    done[rec["id"]] = (rec.get("sha256"), rec.get("model_version"))
        return done

    def _torn_tail(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return False
        with open(self.path, "rb") as fh:
            fh.seek(-1, 2)
            return fh.read(1) != b"\n"

    def done(self) -> dict[str, tuple[str | None, str | None]]:
        """id → (sha256, model_version) of documents already written successfully."""
        return self._done

    def write(self, record: dict[str, Any]) -> None:
        # Appending keeps a killed run's lines; a redone (or repeated) id leaves its old
        # line behind until close() compacts the file.
        self._redone = self._redone or record["id"] in self._existing
        self._existing.add(record["id"])
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh.closed:
            return
        self._fh.close()
        if self._redone:
            self._compact()

    def _compact(self) -> None:
        """Keep the last line of each id (resume appended the redone ones), in first-seen order."""
        latest: dict[str, str] = {}
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    doc_id = json.loads(line)["id"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue  # a torn line from a killed run
                latest[doc_id] = line
        staging = self.path.with_name(self.path.name + ".tmp")
        with open(staging, "w", encoding="utf-8") as fh:
            fh.writelines(latest.values())
        os.replace(staging, self.path)

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
