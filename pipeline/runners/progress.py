"""Progress of a run: a live line on a terminal, plain log lines every N documents otherwise.

Archive runs last hours and often run under nohup, cron or a batch system, where a
redrawn bar fills the log with control codes; so the live display is used only when
stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import Callable, Protocol

Log = Callable[[str], None]


class Reporter(Protocol):
    def add(self, *, chars: int, failed: bool) -> None: ...

    def skipped(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class Counts:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.documents = self.chars = self.failed = self.skipped_docs = 0

    def add(self, *, chars: int, failed: bool) -> None:
        self.documents += 1
        self.chars += chars
        self.failed += int(failed)

    def skipped(self, n: int = 1) -> None:
        self.skipped_docs += n

    def line(self) -> str:
        seconds = max(time.perf_counter() - self.started, 1e-9)
        return (
            f"{self.documents:,} documents, {self.documents / seconds:.1f} docs/s, "
            f"{self.chars / seconds:,.0f} chars/s, {self.failed} failed, {self.skipped_docs} skipped"
        )


class LogReporter(Counts):
    def __init__(self, log: Log, every: int) -> None:
        super().__init__()
        self.log, self.every = log, max(1, every)

    def add(self, *, chars: int, failed: bool) -> None:
        super().add(chars=chars, failed=failed)
        if self.documents % self.every == 0:
            self.log(f"progress: {self.line()}")

    def close(self) -> None:
        pass


class RichReporter(Counts):
    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        super().__init__()
        # redirect_stderr: failure lines printed during the run appear above the live line.
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=Console(stderr=True), redirect_stderr=True, transient=False,
        )
        self._task = self._progress.add_task(self.line(), total=None)
        self._progress.start()
        self._last = 0.0

    def add(self, *, chars: int, failed: bool) -> None:
        super().add(chars=chars, failed=failed)
        now = time.perf_counter()
        if now - self._last > 0.2:  # redraw at most 5 times a second
            self._last = now
            self._progress.update(self._task, description=self.line())

    def close(self) -> None:
        self._progress.update(self._task, description=self.line())
        self._progress.stop()


def make_reporter(live: bool | None, log: Log, every: int) -> Reporter:
    """`live`: True forces the live line, False plain lines, None: live on a terminal."""
    if live is None:
        live = sys.stderr.isatty()
    return RichReporter() if live else LogReporter(log, every)
