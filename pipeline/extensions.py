"""The custom attributes jixiao puts on spaCy objects, registered once.

Segments live in `doc.spans["segments"]` and entities in `doc.ents`; what spaCy has
no slot for lives here. Every component imports this module, so the attributes exist
whichever component a user loads first.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_ATTRIBUTES: dict[str, object] = {
    # numeric entities
    "value": None,  # float: yuan for MONEY, a fraction for PERCENT, a count otherwise
    "value_max": None,  # upper bound of a range (10-15人 → value 10, value_max 15)
    "approx": False,  # 余/多/约/超过… in or around the span
    "unit": None,  # the unit as written (万元, 人次, %, 个 …)
    "currency": None,  # "CNY" for MONEY unless another currency is named
    "matched_by": None,  # "rule" or "model"
    # segments and headings
    "scores": None,  # {label: probability} from the classifier
    "section": None,  # tuple of the heading texts above the segment, outermost first
    "level": None,  # heading level: 0 title, 1 一、, 2 （一）, 3 1., 4 （1）
}
DOC_ATTRIBUTES: dict[str, object] = {
    "source": None,  # where the text came from (path, table row …)
    "doc_id": None,
    "encoding": None,
    "furniture": None,  # [(start, end)] page numbers and running headers, outside every segment
    "report": None,  # metadata: org, year, report type, headline figures
}


def span_value(doc: Doc, name: str, start_char: int, end_char: int) -> object:
    """`span._.<name>` for the span at these offsets, read from the Doc's value table.

    spaCy keeps span extension values in `doc.user_data` under ("._.", name, start_char,
    end_char); `span._` builds a view object and dispatches through it on every read,
    which cost more than building the records themselves. The tests compare this with
    `span._` for every attribute, so a change of layout in spaCy fails them."""
    return doc.user_data.get(("._.", name, start_char, end_char), SPAN_ATTRIBUTES[name])


def set_span_value(doc: Doc, name: str, start_char: int, end_char: int, value: object) -> None:
    """`span._.<name> = value` for the span at these offsets (see `span_value`)."""
    if name not in SPAN_ATTRIBUTES:
        raise AttributeError(f"no span attribute {name!r}; jixiao's are {', '.join(SPAN_ATTRIBUTES)}")
    doc.user_data[("._.", name, start_char, end_char)] = value


def set_span_values(doc: Doc, start_char: int, end_char: int, **values: object) -> None:
    """`set_span_value` for several attributes of one span."""
    unknown = values.keys() - SPAN_ATTRIBUTES.keys()
    if unknown:
        raise AttributeError(f"no span attribute {sorted(unknown)[0]!r}; jixiao's are {', '.join(SPAN_ATTRIBUTES)}")
    user_data = doc.user_data
    for name, value in values.items():
        user_data[("._.", name, start_char, end_char)] = value


def register() -> None:
    for name, default in SPAN_ATTRIBUTES.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
