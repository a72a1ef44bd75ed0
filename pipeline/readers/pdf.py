"""PDF: pdfplumber's text layer, page after page, a page break being a line break.

Nothing is removed here: page numbers and running heads stay in the text, and the
structure stage marks them as furniture with offsets, so that offsets keep pointing at
what the PDF says. A PDF without a text layer is a scan and needs OCR, which is not
this project's job: it is refused with the command that does it.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

from ..errors import InputError
from .base import SNIFFED_AS, sniff

# pdfminer logs a warning for every odd object in the archived PDFs (bad xref offsets,
# unknown fonts), thousands a run; none of them changes the text we get.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# pdfminer writes a glyph it cannot map to Unicode as "(cid:123)".
_CID = re.compile(r"\(cid:\d+\)")
# Above this share of unmapped glyphs the text layer is not text.
MAX_CID_SHARE = 0.3

ENCRYPTED_FIX = "decrypt it first (e.g. qpdf --password=PASSWORD --decrypt IN.pdf OUT.pdf) and process the result"
SCANNED_FIX = "run OCR first (e.g. ocrmypdf IN.pdf OUT.pdf) and process the result"


def read(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, None]:
    """The text of every page joined by `\\n`; `encoding` does not apply to PDFs."""
    kind = sniff(data)
    if kind != "pdf":
        found = f"it looks like {SNIFFED_AS[kind]}" if kind else "it has no %PDF header"
        raise InputError(source, f"not a PDF: {found}", fix="check the file (a failed download?) or give it its real suffix")
    pages = _page_texts(data, source)
    if not pages:
        raise InputError(source, "the PDF has no pages", fix="check the file; re-export it from its source")
    text = "\n".join(pages)
    if not text.strip():
        count = f"{len(pages)} page{'s' if len(pages) != 1 else ''}, none with text"
        raise InputError(source, f"no text layer ({count}): this looks like a scanned PDF", fix=SCANNED_FIX)
    share = cid_share(text)
    if share > MAX_CID_SHARE:
        raise InputError(
            source,
            f"the text layer cannot be read: {share:.0%} of its characters are glyph codes with no Unicode mapping",
            fix=f"if the PDF is encrypted, {ENCRYPTED_FIX}; otherwise run OCR over it (e.g. ocrmypdf --force-ocr IN.pdf OUT.pdf)",
        )
    return text, None


def _page_texts(data: bytes, source: str) -> list[str]:
    import pdfplumber

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return [page.extract_text() or "" for page in pdf.pages]
    # pdfplumber wraps some pdfminer errors and lets others (PSEOF, KeyError, TypeError
    # deep in a damaged xref) through; every one of them means the same to the user.
    except Exception as err:
        cause = _root_cause(err)
        if _is_encryption_error(cause):
            raise InputError(source, "the PDF is encrypted (it needs a password to open)", fix=ENCRYPTED_FIX) from None
        raise InputError(source, f"corrupt PDF ({type(cause).__name__}: {cause})", fix="re-download it or re-export it from its source") from None


def _root_cause(err: BaseException) -> BaseException:
    # pdfplumber's PdfminerException carries pdfminer's exception as its argument.
    while err.args and isinstance(err.args[0], BaseException):
        err = err.args[0]
    return err


def _is_encryption_error(err: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return isinstance(err, (PDFPasswordIncorrect, PDFEncryptionError))


def cid_share(text: str) -> float:
    """The share of non-space characters that belong to "(cid:N)" placeholders."""
    visible = len("".join(text.split()))
    if not visible:
        return 0.0
    return sum(len(m) for m in _CID.findall(text)) / visible
