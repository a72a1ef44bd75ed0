"""Command-line arguments → the report files to read, and an error for each argument
(or file) that yields none.

A run over thousands of archived reports must go on past a mistyped path, and must not
quietly drop a report it cannot read: every missing path, empty folder, unmatched glob
and unreadable document format is an `InputError` in the list, so it ends up in the
output as a failed record. Only files that are not reports by any measure are skipped
(hidden files, Word's `~$` lock files, images and other unrelated files inside a
folder); they are counted in one log line per argument.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .base import CONVERT_ADVICE, SUPPORTED_SUFFIXES, unsupported

log = logging.getLogger(__name__)

GLOB_CHARS = frozenset("*?[")


def expand_inputs(args: list[str]) -> tuple[list[Path], list[InputError]]:
    """Files to read in order (each folder's and glob's matches sorted), and the errors.

    A file reached twice (listed and inside a listed folder, or through a symlink) is
    read once, under the first path it was reached by."""
    files: list[Path] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    for arg in args:
        skipped: list[Path] = []
        for item in _expand(arg, skipped):
            key = str(item) if isinstance(item, InputError) else os.path.normcase(os.path.realpath(item))
            if key in seen:
                continue
            seen.add(key)
            (errors if isinstance(item, InputError) else files).append(item)  # type: ignore[arg-type]
        unique = sorted(set(skipped))
        if unique:
            log.info("%s: skipped %d file(s) that are not reports (hidden, Word lock files or other types), e.g. %s",
                     arg, len(unique), ", ".join(p.name for p in unique[:3]))
    return files, errors


def _expand(arg: str, skipped: list[Path]) -> Iterator[Path | InputError]:
    if not arg.strip():
        yield InputError(repr(arg), "an empty path", fix="remove the empty argument")
        return
    path = Path(arg).expanduser()
    if path.is_file():
        # Named explicitly, even a hidden file is meant: only the suffix can refuse it.
        yield path if path.suffix.lower() in SUPPORTED_SUFFIXES else unsupported(path)
    elif path.is_dir():
        yield from _folder(path, skipped)
    elif path.exists():
        yield InputError(path, "not a regular file or folder", fix="pass report files or folders")
    elif GLOB_CHARS & set(arg):
        yield from _glob(arg, skipped)
    else:
        yield InputError(path, "no such file or folder", fix="check the path and its spelling")


def _folder(folder: Path, skipped: list[Path]) -> Iterator[Path | InputError]:
    found = 0
    refused = 0
    for path in _walk(folder, skipped):
        for item in _classify(path, skipped):
            if isinstance(item, InputError):
                refused += 1
            else:
                found += 1
            yield item
    if not found and not refused:
        yield InputError(folder, "no reports in this folder (searched recursively)", options=SUPPORTED_SUFFIXES,
                         fix="check the folder, or pass the files themselves")


def _glob(pattern: str, skipped: list[Path]) -> Iterator[Path | InputError]:
    found = 0
    refused = 0
    for match in sorted(glob.glob(os.path.expanduser(pattern), recursive=True)):
        path = Path(match)
        # A glob can match folders (`reports/*` over year folders, `**` over everything):
        # they are searched like folders, and duplicates are dropped by the caller.
        candidates = _walk(path, skipped) if path.is_dir() else [path]
        for candidate in candidates:
            for item in _classify(candidate, skipped):
                refused += isinstance(item, InputError)
                found += not isinstance(item, InputError)
                yield item
    if not found and not refused:
        yield InputError(pattern, "no reports match this pattern", options=SUPPORTED_SUFFIXES,
                         fix="check the pattern; quote it so the shell does not expand it, and use ** to search subfolders")


def _walk(folder: Path, skipped: list[Path]) -> list[Path]:
    """Every file under `folder`, sorted, leaving out hidden folders (.git, __MACOSX's ._ files)."""
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        hidden = [d for d in dirs if d.startswith(".") or d == "__MACOSX"]
        skipped.extend(Path(root, d) for d in hidden)
        dirs[:] = sorted(d for d in dirs if d not in hidden)
        files.extend(Path(root, name) for name in names)
    return sorted(files)


def _classify(path: Path, skipped: list[Path]) -> Iterator[Path | InputError]:
    """A file met inside a folder or a glob: a report, a report we cannot read, or not a report."""
    name = path.name
    if name.startswith((".", "~$")):
        skipped.append(path)
    elif path.suffix.lower() in SUPPORTED_SUFFIXES:
        yield path
    elif path.suffix.lower() in CONVERT_ADVICE:
        # A .doc or .ofd in a folder of reports is a report: say so instead of skipping it.
        yield unsupported(path)
    else:
        skipped.append(path)
