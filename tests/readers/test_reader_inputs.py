"""expand_inputs: files, folders and globs → files to read plus one error per thing that yields none."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import expand_inputs

TREE = [
    "reports/2023/b-文化馆.txt",
    "reports/2023/a.docx",
    "reports/2022/road.PDF",
    "reports/2022/page.htm",
    "reports/notes.md",
    "reports/.hidden.txt",
    "reports/2023/~$a.docx",
    "reports/.git/config.txt",
    "reports/photo.jpg",
    "reports/old/legacy.doc",
    "empty-folder/.keep",
    "pictures/scan.png",
    "loose.txt",
    "sheet.xlsx",
]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in TREE:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("内容", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def names(paths: list[Path]) -> list[str]:
    return [p.as_posix() for p in paths]


def problems(errors: list[InputError]) -> list[tuple[str, str]]:
    return [(Path(e.path).as_posix(), e.problem.split(":")[-1].strip()) for e in errors]


REPORTS = ["reports/2022/page.htm", "reports/2022/road.PDF", "reports/2023/a.docx", "reports/2023/b-文化馆.txt", "reports/notes.md"]
LEGACY = ("reports/old/legacy.doc", "unsupported file type")


@pytest.mark.parametrize(
    "args, files, errors",
    [
        (["loose.txt"], ["loose.txt"], []),
        (["reports"], REPORTS, [LEGACY]),
        (["reports/"], REPORTS, [LEGACY]),
        (["reports/2023"], ["reports/2023/a.docx", "reports/2023/b-文化馆.txt"], []),
        (["reports/*/*.txt"], ["reports/2023/b-文化馆.txt"], []),
        (["reports/**/*.docx", "reports/**/*.PDF"], ["reports/2023/a.docx", "reports/2022/road.PDF"], []),
        (["reports/**"], REPORTS, [LEGACY]),
        (["reports/20*"], REPORTS[:4], []),  # a glob over folders searches them
        (["loose.txt", "reports/2023", "loose.txt", "reports/2023/a.docx"], ["loose.txt", "reports/2023/a.docx", "reports/2023/b-文化馆.txt"], []),
        (["missing.txt"], [], [("missing.txt", "no such file or folder")]),
        (["empty-folder"], [], [("empty-folder", "no reports in this folder (searched recursively)")]),
        (["pictures"], [], [("pictures", "no reports in this folder (searched recursively)")]),
        (["nowhere/*.pdf"], [], [("nowhere/*.pdf", "no reports match this pattern")]),
        (["reports/*.xlsx"], [], [("reports/*.xlsx", "no reports match this pattern")]),
        (["sheet.xlsx"], [], [("sheet.xlsx", "unsupported file type")]),
        (["reports/old/legacy.doc"], [], [LEGACY]),
        (["reports/.hidden.txt"], ["reports/.hidden.txt"], []),  # named explicitly: meant
        ([""], [], [("''", "an empty path")]),
        (
            ["missing.txt", "loose.txt", "empty-folder", "reports/2022"],
            ["loose.txt", "reports/2022/page.htm", "reports/2022/road.PDF"],
            [("missing.txt", "no such file or folder"), ("empty-folder", "no reports in this folder (searched recursively)")],
        ),
    ],
)
def test_expand_inputs(tree: Path, args: list[str], files: list[str], errors: list[tuple[str, str]]) -> None:
    found, failed = expand_inputs(args)
    assert names(found) == files
    assert problems(failed) == errors


def test_errors_say_what_to_do(tree: Path) -> None:
    _, failed = expand_inputs(["missing.txt", "empty-folder", "nowhere/*.pdf", "sheet.xlsx", "reports/old/legacy.doc"])
    for error in failed:
        message = str(error)
        assert "\n" not in message and "Fix:" in message
    assert "soffice" in str(failed[-1])
    assert ".docx" in str(failed[1])  # the folder error lists what would have been read


def test_skipped_files_are_logged(tree: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline.readers"):
        expand_inputs(["reports"])
    (record,) = [r for r in caplog.records if r.name.startswith("pipeline.readers")]
    # .git, .hidden.txt, ~$a.docx and photo.jpg: not reports, but not silently dropped either.
    assert "reports: skipped 4 file(s)" in record.getMessage()


def test_absolute_paths_and_symlinked_duplicates(tree: Path) -> None:
    """A file reached twice, even through a symlink, is read once, under the first path given."""
    target = tree / "loose.txt"
    os.symlink(target, tree / "reports" / "2023" / "link.txt")
    found, failed = expand_inputs([str(target), str(tree / "reports" / "2023")])
    assert found == [target, tree / "reports/2023/a.docx", tree / "reports/2023/b-文化馆.txt"]
    assert failed == []
