"""The only changes made to a report's text between decoding and analysis.

Every character offset jixiao reports (segments, entities, furniture) points into the
text *after* these functions and nothing else, so each one is small, pure and states
exactly how it changes the length of the text:

- `strip_bom`: removes one leading U+FEFF (length - 1 when present).
- `normalize_newlines`: `\\r\\n` becomes `\\n` (length - 1 per pair); a lone `\\r`,
  U+2028, U+2029 and form feed `\\f` each become `\\n` (length unchanged).
- `replace_lone_surrogates`: a lone surrogate (U+D800–U+DFFF, from a JSON escape or bytes
  decoded with surrogateescape) becomes U+FFFD (length unchanged). No encoder, spaCy's
  string store included, accepts one, so a text holding one could not be processed.

Nothing else is touched on purpose: full-width spaces (U+3000) indent Chinese
paragraphs, full-width digits and punctuation are what the report says, and NFKC
would merge characters that later rules tell apart.
"""

from __future__ import annotations

import re

BOM = "\ufeff"

# `\r\n` first, as one unit, so that a Windows line ending is one line break, not two.
# U+2028/U+2029 come from Word and web pages; `\f` is the page break that some PDF
# and text exporters write between pages, and a page break is a line break.
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\f]")


def normalize_newlines(text: str) -> str:
    """Every line break as `\\n`: `\\r\\n`, `\\r`, U+2028, U+2029 and `\\f`."""
    return _LINE_BREAKS.sub("\n", text)


def strip_bom(text: str) -> str:
    """Drop one byte-order mark at the very start (a decoder that kept it, or a BOM in a table cell).

    Only the first: a U+FEFF inside the text is a zero-width no-break space that
    someone put there, and removing it would shift every offset after it."""
    return text[1:] if text.startswith(BOM) else text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """Every lone surrogate as U+FFFD, the replacement character (same length)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def normalize(text: str) -> str:
    """The three steps, in the order every reader applies them."""
    return replace_lone_surrogates(normalize_newlines(strip_bom(text)))
