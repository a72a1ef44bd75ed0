"""What every reader shares: the `Text` it returns, the suffix table, and the checks made
before a format module sees the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# Suffix → reader module. `.md` is read as plain text: reports exported from wikis keep
# their Markdown marks, which the structure stage treats like any other character.
READERS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)
TABLE_SUFFIXES: tuple[str, ...] = (".parquet", ".jsonl", ".ndjson", ".csv")

# Formats that archives of reports really contain and that we cannot read: each gets its
# own conversion advice instead of a bare "unsupported".
CONVERT_ADVICE: dict[str, str] = {
    ".doc": "convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".wps": "convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".rtf": "convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".odt": "convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".ofd": "export it to PDF (OFD readers such as 数科 or 福昕 can) and process the PDF",
    ".zip": "unpack the archive and pass the folder",
    ".rar": "unpack the archive and pass the folder",
    ".7z": "unpack the archive and pass the folder",
}


@dataclass(frozen=True)
class Text:
    """A decoded report: the string every later offset refers to, and where it came from.

    `encoding` is the codec the bytes were decoded with (None where a library did the
    decoding, as for .docx, .pdf and Arrow tables); `format` names the reader used;
    `doc_id` defaults to the stem of `source` (the part before any `#row=…`)."""

    text: str
    source: str
    encoding: str | None
    format: str
    doc_id: str = ""

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", Path(self.source.split("#", 1)[0]).stem or self.source)


def unsupported(path: Path) -> InputError:
    """The error for a suffix no reader takes, with the advice that fits the suffix."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        fix = "tables are read row by row: pass it with --text-column COLUMN (iter_table)"
    elif suffix in CONVERT_ADVICE:
        fix = CONVERT_ADVICE[suffix]
    else:
        fix = "convert it to one of the supported formats, or leave it out"
    return InputError(path, "unsupported file type", value=suffix or "(no suffix)", options=SUPPORTED_SUFFIXES, fix=fix)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or an InputError that says why not (missing, folder, too large, unreadable)."""
    try:
        if path.is_dir():
            raise InputError(path, "is a folder, not a file", fix="pass the folder on the command line; folders are expanded by expand_inputs")
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, "no such file", fix="check the path and its spelling") from None
    except OSError as err:
        raise InputError(path, f"cannot be read: {err.strerror or err}", fix="check that the file exists and is readable") from None
    if size > max_bytes:
        raise InputError(
            path,
            f"too large: {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit for one report",
            fix="split it into smaller files, or raise the limit (read_path(..., max_bytes=N))",
        )
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot be read: {err.strerror or err}", fix="check that the file is readable") from None


def sniff(data: bytes) -> str | None:
    """What the bytes look like from their first bytes, whatever the file's name says.

    Bulk archives are full of misnamed files (a .doc saved as .docx, a login page saved
    as .pdf); naming what the file really is turns "corrupt" into a fix."""
    head = data[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8")):
        return "image"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "html"
    return None


SNIFFED_AS: dict[str, str] = {
    "pdf": "a PDF",
    "zip": "a zip archive such as .docx or .xlsx",
    "ole": "an old binary Office file such as .doc, .xls or WPS",
    "rtf": "an RTF document",
    "image": "an image",
    "html": "an HTML page, often a failed download or a login page",
}
