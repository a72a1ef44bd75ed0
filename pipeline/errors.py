"""Every error jixiao raises on purpose.

One place, one shape: each message states the problem, the offending value, the
valid options where there is a closed set, and what to do about it. The CLI prints
`str(error)` as one line, so messages never need a traceback to be understood.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def format_message(problem: str, *, value: Any = None, options: Iterable[Any] | None = None, fix: str | None = None) -> str:
    parts = [problem]
    if value is not None:
        parts.append(f"(got {value!r})")
    message = " ".join(parts)
    if options is not None:
        message += f"; valid: {', '.join(str(o) for o in options)}"
    if fix:
        message += f". Fix: {fix}"
    return message


class JixiaoError(Exception):
    """Base class: catch this to handle every jixiao error at once."""

    def __init__(self, problem: str, *, value: Any = None, options: Iterable[Any] | None = None, fix: str | None = None):
        self.problem, self.value, self.fix = problem, value, fix
        self.options = list(options) if options is not None else None
        super().__init__(format_message(problem, value=value, options=self.options, fix=fix))


class InputError(JixiaoError):
    """A report could not be read: missing, empty, binary, undecodable, corrupt, encrypted, scanned."""

    def __init__(self, path: Any, problem: str, *, fix: str | None = None, value: Any = None, options: Iterable[Any] | None = None):
        self.path = str(path)
        super().__init__(f"{path}: {problem}", value=value, options=options, fix=fix)


class ConfigError(JixiaoError, ValueError):
    """A setting in config.cfg or on the command line is not valid."""


class ModelError(JixiaoError):
    """A model directory is missing, stale, tampered with or from an incompatible version."""


class NumberParseError(JixiaoError, ValueError):
    """A string that should hold a number does not parse as one."""


class CorpusError(JixiaoError):
    """A corpus file breaks the data contract (ANNOTATION.md) at a given file and line."""

    def __init__(self, path: Any, line: int | None, problem: str, *, fix: str | None = None):
        self.path, self.line = str(path), line
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}", fix=fix)


class OutputError(JixiaoError):
    """An output target cannot be written: unknown format, unwritable path, schema mismatch."""
