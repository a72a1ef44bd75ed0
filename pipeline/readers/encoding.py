"""Bytes → str for text-like formats (.txt, .html, .csv), recording the codec used.

The order matters: a byte-order mark is proof, strict UTF-8 nearly so (GB18030 and Big5
text almost never happens to be valid UTF-8), and only then is charset-normalizer asked,
restricted to the encodings Chinese reports are really written in. Asked about every
codec it knows, it calls short GB18030 text cp949 (Korean) or Shift-JIS.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from .base import SNIFFED_AS, sniff

# What detection may answer. GB18030 is a superset of GBK and GB2312, so it covers the
# mainland's archives; Big5 covers Taiwan and Hong Kong.
CANDIDATES: tuple[str, ...] = ("gb18030", "big5")
# A detected subset decodes as its superset: a GBK file with one GB18030-only character
# (a rare name, a 4-byte sequence) would otherwise fail.
SUPERSETS: dict[str, str] = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030"}

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
TRIED = ("utf-8",) + CANDIDATES
SAMPLE_BYTES = 1 << 20
BINARY_KINDS = frozenset({"pdf", "zip", "ole", "image"})
# Bytes that are not UTF-8 come back from the "surrogateescape" handler as U+DC80-U+DCFF.
_ESCAPED = re.compile("[\udc80-\udcff]")
ENCODING_FIX = "pass the right one with --encoding NAME (a Python codec name, e.g. gb18030, big5, utf-16-le)"


def decode(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, str]:
    """The text and the codec name used: `encoding` if given, else the detected one."""
    if encoding:
        return decode_as(data, source, encoding), codec_name(source, encoding)
    bom = bom_encoding(data)
    if bom:
        return decode_as(data, source, bom, why=f"it starts with a {bom} byte-order mark"), bom
    kind = sniff(data)
    # A PDF or a .docx renamed to .txt can be free of NUL bytes and "decode" as GB18030.
    if looks_binary(data) or kind in BINARY_KINDS:
        found = f": it looks like {SNIFFED_AS[kind]}" if kind else ""
        raise InputError(source, f"not a text file{found}", fix="give it the suffix of its real format, or leave it out; "
                         "for UTF-16 text without a byte-order mark pass --encoding utf-16-le")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if mostly_utf8(data):
            raise InputError(
                source,
                f"UTF-8 text with damaged bytes (first at byte {err.start})",
                fix="repair the file (e.g. iconv -c -f utf-8 -t utf-8 IN > OUT drops the damaged bytes)",
            ) from None
    detected = detect(data)
    if detected is None:
        raise InputError(source, f"cannot decode the text: tried {', '.join(TRIED)}", fix=ENCODING_FIX)
    return decode_as(data, source, detected, why="detected"), detected


def decode_as(data: bytes, source: str, encoding: str, *, why: str = "as asked") -> str:
    """Strict decoding with one codec: a replacement character would silently change the report."""
    name = codec_name(source, encoding)
    try:
        return data.decode(name)
    except UnicodeDecodeError as err:
        raise InputError(
            source, f"not valid {name} ({why}): undecodable bytes at byte {err.start}",
            value=data[err.start : err.start + 4].hex(" "),
            fix="check the file's encoding and " + ENCODING_FIX,
        ) from None


def codec_name(source: str, encoding: str) -> str:
    """Python's canonical name for `encoding` (`GBK` → `gbk`), or an InputError for an unknown one."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(source, "unknown encoding", value=encoding, fix="use a Python codec name such as utf-8, gb18030, big5, utf-16") from None


def bom_encoding(data: bytes) -> str | None:
    for mark, name in BOMS:
        if data.startswith(mark):
            return name
    return None


def looks_binary(data: bytes, *, sample_size: int = 8192) -> bool:
    """NUL bytes anywhere, or mostly control bytes at the start.

    No byte of GB18030 or Big5 text falls below 0x20 except line breaks and tabs, so
    any NUL means UTF-16 without a mark or not text at all."""
    if b"\x00" in data:
        return True
    sample = data[:sample_size]
    if not sample:
        return False
    controls = len(sample.translate(None, _NOT_CONTROL))  # counted in C: this runs on every file
    return controls / len(sample) > 0.3


_CONTROL = bytes(b for b in range(256) if (b < 0x20 and b not in b"\t\n\r\f\x1b") or b == 0x7F)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few bytes: a file cut or corrupted in transfer.

    Such a file must not go on to detection: read as GB18030 it decodes, and every
    character is wrong. Text really in GB18030 or Big5 has invalid bytes everywhere."""
    # A sample is enough (damage is rare, GB18030 fails everywhere), and the error
    # handler runs once per bad byte: a whole 50 MB GB18030 file would take seconds.
    sample = data[:SAMPLE_BYTES]
    if len(data) > SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # do not cut the last character in two
    decoded = sample.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(decoded))
    good = len(decoded) - len(decoded.encode("ascii", errors="ignore")) - bad
    return good >= 20 and bad * 100 <= good


def detect(data: bytes) -> str | None:
    """charset-normalizer's best guess among CANDIDATES, as the codec to decode with."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    return SUPERSETS.get(name, name)
