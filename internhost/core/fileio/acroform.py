"""A school's fillable PDF (an AcroForm): read its fields, fill them, flatten them.

Schools send their own forms; HR registers one and InternHost fills it for every
intern (``services/school_forms.py``). pypdf reads and writes the PDF; the
appearance of every filled text field is drawn here with ReportLab in the shipped
DejaVu Sans, switching to Droid Sans Fallback for CJK per run of characters
(``reports/fonts.font_runs``), and set as the field's ``/AP``. pypdf's own
appearance generator draws with the form's ``/DA`` font (usually Helvetica, which
has no ễ, Ł or 李) and embeds whole fonts only through fontTools; ReportLab embeds
subsets, which keeps a filled form small. ``/NeedAppearances`` is set false so a
viewer shows these appearances rather than redrawing them in its own font.

Flattening draws each widget's appearance into its page's content and removes the
fields, so nothing is left to edit. XFA forms (Adobe LiveCycle/AEM Designer) keep
their real form in XML that pypdf cannot fill: refused, as are encrypted PDFs and
PDFs without fields, each with a message the user can act on.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from internhost.core.errors import FieldError, ValidationError
from internhost.core.reports import fonts

#: More fields than any school form has: beyond it the file is refused, not parsed on.
MAX_FIELDS = 2000
#: Pages read at most (a form of 200 pages is not a form).
MAX_PAGES = 200
TEXT, CHECKBOX, RADIO, CHOICE, SIGNATURE, BUTTON = (
    "text",
    "checkbox",
    "radio",
    "choice",
    "signature",
    "button",
)
#: What each kind of field is, in words.
KIND_LABELS = {
    TEXT: "text",
    CHECKBOX: "check box",
    RADIO: "radio buttons",
    CHOICE: "choice list",
    SIGNATURE: "signature (left for a pen)",
    BUTTON: "push button (nothing to fill)",
}
#: The kinds InternHost fills.
FILLABLE = frozenset({TEXT, CHECKBOX, RADIO, CHOICE})
#: Field flags (PDF 32000-1, 12.7.3.1 and 12.7.4).
_FF_MULTILINE = 1 << 12
_FF_RADIO = 1 << 15
_FF_PUSHBUTTON = 1 << 16
_ANNOT_HIDDEN = 1 << 1
#: Text that ticks a check box: an "Off" or empty value leaves it clear.
_TRUE = frozenset({"yes", "y", "true", "1", "x", "on", "checked"})
_PAD = 2.0


@dataclass(frozen=True)
class FormField:
    """One field of the form as the mapping screen lists it."""

    name: str
    kind: str
    #: A choice's options; a check box's or radio group's "on" states.
    choices: tuple[str, ...]
    value: str
    multiline: bool = False
    page: int = 1

    @property
    def fillable(self) -> bool:
        return self.kind in FILLABLE


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(FieldError(field, message))


def open_form(content: object, *, field: str = "content") -> PdfReader:
    """The PDF as a pypdf reader, or a ``ValidationError`` saying why it cannot be
    filled: not a PDF, encrypted, XFA, no fields."""
    if not isinstance(content, bytes | bytearray) or not bytes(content[:1024]).lstrip().startswith(
        b"%PDF-"
    ):
        raise _refuse(field, "is not a PDF file (by its content)")
    try:
        reader = PdfReader(io.BytesIO(bytes(content)), strict=False)
        encrypted = reader.is_encrypted
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise _refuse(field, f"is not a readable PDF ({exc})") from None
    if encrypted:
        raise _refuse(
            field,
            "is an encrypted (password-protected) PDF: ask the school for a copy without "
            "a password",
        )
    try:
        root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
        acro = root.get("/AcroForm")
        acro = acro.get_object() if acro is not None else None
        if acro is not None and "/XFA" in acro:
            raise _refuse(
                field,
                "is an XFA form (made with Adobe LiveCycle or AEM Designer), which InternHost "
                "cannot fill: ask the school for a plain fillable PDF (an AcroForm), or print "
                "it and fill it by hand",
            )
        fields = acro.get("/Fields") if acro is not None else None
        if not fields:
            raise _refuse(field, "has no fillable fields: it is not a fillable PDF form")
        if len(reader.pages) > MAX_PAGES:
            raise _refuse(field, f"has {len(reader.pages)} pages; a form may have {MAX_PAGES}")
    except (PdfReadError, PyPdfError, AttributeError, KeyError, TypeError, RecursionError) as exc:
        raise _refuse(field, f"is not a readable PDF form ({exc})") from None
    return reader


# -- reading fields


def _inherited(obj: DictionaryObject, key: str) -> Any:
    """A field attribute, looked up the ``/Parent`` chain (at most 32 levels)."""
    node: Any = obj
    for _ in range(32):
        if node is None:
            return None
        node = node.get_object()
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _field_of(widget: DictionaryObject) -> DictionaryObject:
    """The terminal field a widget belongs to (itself when merged with its field)."""
    if "/T" in widget:
        return widget
    parent = widget.get("/Parent")
    return parent.get_object() if parent is not None else widget


def _qualified_name(field: DictionaryObject) -> str:
    parts: list[str] = []
    node: Any = field
    for _ in range(32):
        if node is None:
            break
        node = node.get_object()
        if "/T" in node:
            parts.append(str(node["/T"]))
        node = node.get("/Parent")
    return ".".join(reversed(parts))


def _kind(field: DictionaryObject) -> str:
    ft = _inherited(field, "/FT")
    flags = int(_inherited(field, "/Ff") or 0)
    if ft == "/Tx":
        return TEXT
    if ft == "/Ch":
        return CHOICE
    if ft == "/Sig":
        return SIGNATURE
    if ft == "/Btn":
        if flags & _FF_PUSHBUTTON:
            return BUTTON
        return RADIO if flags & _FF_RADIO else CHECKBOX
    return BUTTON


def _on_states(widget: DictionaryObject) -> list[str]:
    ap = widget.get("/AP")
    normal = ap.get_object().get("/N") if ap is not None else None
    if normal is None or not isinstance(normal.get_object(), DictionaryObject):
        return []
    return [str(k)[1:] for k in normal.get_object() if k != "/Off"]


def _options(field: DictionaryObject) -> list[str]:
    found = []
    for option in _inherited(field, "/Opt") or ():
        option = option.get_object()
        if isinstance(option, list | ArrayObject) and option:
            option = option[-1].get_object()  # [export value, shown text]: the text
        found.append(str(option))
    return found


def _annotations(page: Any) -> list[Any]:
    annots = page.get("/Annots")
    found = annots.get_object() if annots is not None else None
    return list(found) if isinstance(found, ArrayObject) else []


def _widgets(reader: PdfReader) -> Iterator[tuple[int, DictionaryObject]]:
    for number, page in enumerate(reader.pages, start=1):
        for annot in _annotations(page):
            annot = annot.get_object()
            if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/Widget":
                yield number, annot


def read_fields(content: object, *, field: str = "content") -> tuple[FormField, ...]:
    """Every field of the form, in page order, each once (a radio group's buttons
    and a field's several widgets are one field)."""
    reader = open_form(content, field=field)
    seen: dict[str, dict[str, Any]] = {}
    try:
        for page, widget in _widgets(reader):
            terminal = _field_of(widget)
            name = _qualified_name(terminal)
            if not name:
                continue
            entry = seen.get(name)
            if entry is None:
                if len(seen) >= MAX_FIELDS:
                    raise _refuse(field, f"has more than {MAX_FIELDS} fields")
                kind = _kind(terminal)
                value = _inherited(terminal, "/V")
                entry = seen[name] = {
                    "kind": kind,
                    "page": page,
                    "choices": _options(terminal) if kind == CHOICE else [],
                    "value": "" if value is None else str(value).lstrip("/"),
                    "multiline": bool(int(_inherited(terminal, "/Ff") or 0) & _FF_MULTILINE),
                }
            if entry["kind"] in (CHECKBOX, RADIO):
                for state in _on_states(widget):
                    if state not in entry["choices"]:
                        entry["choices"].append(state)
    except (PdfReadError, PyPdfError, AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _refuse(field, f"is not a readable PDF form ({exc})") from None
    return tuple(
        FormField(
            name=name,
            kind=e["kind"],
            choices=tuple(e["choices"]),
            value=e["value"],
            multiline=e["multiline"],
            page=e["page"],
        )
        for name, e in seen.items()
    )


# -- drawing text appearances with ReportLab


@dataclass(frozen=True)
class _Box:
    width: float
    height: float
    text: str
    size: float  # 0: fit the box
    align: int  # 0 left, 1 centre, 2 right
    multiline: bool
    background: tuple[float, ...] | None
    border: tuple[float, ...] | None


def _width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in fonts.font_runs(text))


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and _width(trial, size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _fit(box: _Box) -> tuple[float, list[str]]:
    """The font size and lines: the form's size, or the largest that fits (4–12 pt)."""
    inner_w, inner_h = max(box.width - 2 * _PAD, 1.0), max(box.height - 2 * _PAD, 1.0)
    if box.size > 0:
        size = box.size
        return size, _wrap(box.text, size, inner_w) if box.multiline else [box.text]
    size = min(12.0, inner_h * 0.75) if not box.multiline else 10.0
    while True:
        lines = _wrap(box.text, size, inner_w) if box.multiline else [" ".join(box.text.split())]
        fits = max(_width(line, size) for line in lines) <= inner_w
        fits = fits and len(lines) * size * 1.15 <= inner_h + 0.01
        if fits or size <= 4.0:
            return size, lines
        size = max(4.0, size - 0.5)


def _color(c: rl_canvas.Canvas, values: tuple[float, ...], fill: bool) -> None:
    setters: dict[int, Callable[..., None]] = {
        1: c.setFillGray if fill else c.setStrokeGray,
        3: c.setFillColorRGB if fill else c.setStrokeColorRGB,
        4: c.setFillColorCMYK if fill else c.setStrokeColorCMYK,
    }
    setter = setters.get(len(values))
    if setter is not None:
        setter(*values)


def _draw(c: rl_canvas.Canvas, box: _Box) -> None:
    if box.background is not None:
        _color(c, box.background, True)
        c.rect(0, 0, box.width, box.height, stroke=0, fill=1)
    if box.border is not None:
        _color(c, box.border, False)
        c.setLineWidth(1)
        c.rect(0.5, 0.5, box.width - 1, box.height - 1, stroke=1, fill=0)
    c.setFillGray(0)
    size, lines = _fit(box)
    leading = size * 1.15
    # Multiline from the top; a single line with its cap height centred.
    y = box.height - _PAD - size if box.multiline else (box.height - size * 0.7) / 2
    for line in lines:
        width = _width(line, size)
        x = {1: (box.width - width) / 2, 2: box.width - _PAD - width}.get(box.align, _PAD)
        text = c.beginText(x, y)
        for font, run in fonts.font_runs(line):
            text.setFont(font, size)
            text.textOut(run)
        c.drawText(text)
        y -= leading


def _appearances(boxes: list[_Box]) -> PdfReader:
    """One ReportLab page per box, its size the box's: the fonts are subset once."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    # The TTF as the initial font, or an unembedded Helvetica is referenced too (the
    # stubs type initialFontName as a number).
    c = rl_canvas.Canvas(
        buffer,
        initialFontName=fonts.REGULAR,  # type: ignore[arg-type]
        initialFontSize=10,
    )
    for box in boxes:
        c.setPageSize((box.width, box.height))
        _draw(c, box)
        c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _as_xobject(writer: PdfWriter, page: Any, width: float, height: float) -> StreamObject:
    xobject = StreamObject()
    xobject.set_data(b"/Tx BMC\n" + page.get_contents().get_data() + b"\nEMC\n")
    xobject[NameObject("/Type")] = NameObject("/XObject")
    xobject[NameObject("/Subtype")] = NameObject("/Form")
    xobject[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
    )
    xobject[NameObject("/Resources")] = page["/Resources"].get_object().clone(writer)
    return xobject


def _numbers(value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        found = tuple(float(v) for v in value.get_object())
    except (TypeError, ValueError):
        return None
    return found or None


def _da_size(field: DictionaryObject, acro: DictionaryObject) -> float:
    da = _inherited(field, "/DA") or acro.get("/DA") or ""
    tokens = str(da).split()
    for i, token in enumerate(tokens):
        if token == "Tf" and i >= 1:
            try:
                return max(0.0, min(float(tokens[i - 1]), 72.0))
            except ValueError:
                return 0.0
    return 0.0


def _rect(widget: DictionaryObject) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in cast(ArrayObject, widget["/Rect"].get_object()))
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


# -- filling


def _truthy(value: str) -> bool:
    return value.strip().casefold() in _TRUE


def fill(
    content: bytes, values: Mapping[str, str], *, flatten: bool, field: str = "content"
) -> bytes:
    """The form with ``values`` (field name -> text) filled in; check boxes tick on
    "Yes"/"true"/"1"/"x", radio groups and choices take one of their states or
    options. Fields not in ``values`` keep what they hold. With ``flatten`` every
    field becomes part of its page and the form has no fields left."""
    reader = open_form(content, field=field)
    try:
        return _filled(reader, values, flatten)
    except (PdfReadError, PyPdfError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _refuse(field, f"could not be filled ({type(exc).__name__}: {exc})") from None


def _filled(reader: PdfReader, values: Mapping[str, str], flatten: bool) -> bytes:
    writer = PdfWriter(clone_from=reader)
    acro = cast(DictionaryObject, writer._root_object["/AcroForm"].get_object())
    boxes: list[_Box] = []
    targets: list[DictionaryObject] = []
    for page in writer.pages:
        for annot in _annotations(page):
            widget = annot.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            terminal = _field_of(widget)
            name = _qualified_name(terminal)
            if name not in values:
                continue
            value = str(values[name])
            kind = _kind(terminal)
            if kind in (CHECKBOX, RADIO):
                _set_button(widget, terminal, kind, value)
            elif kind in (TEXT, CHOICE):
                terminal[NameObject("/V")] = TextStringObject(value)
                if kind == CHOICE and "/I" in terminal:
                    del terminal["/I"]
                x1, y1, x2, y2 = _rect(widget)
                mk = widget.get("/MK")
                mk = mk.get_object() if mk is not None else DictionaryObject()
                boxes.append(
                    _Box(
                        width=max(x2 - x1, 1.0),
                        height=max(y2 - y1, 1.0),
                        text=value,
                        size=_da_size(terminal, acro),
                        align=int(_inherited(terminal, "/Q") or 0),
                        multiline=bool(int(_inherited(terminal, "/Ff") or 0) & _FF_MULTILINE),
                        background=_numbers(mk.get("/BG")),
                        border=_numbers(mk.get("/BC")),
                    )
                )
                targets.append(widget)
    if boxes:
        drawn = _appearances(boxes)
        for widget, box, page in zip(targets, boxes, drawn.pages, strict=True):
            xobject = _as_xobject(writer, page, box.width, box.height)
            widget[NameObject("/AP")] = DictionaryObject(
                {NameObject("/N"): writer._add_object(xobject)}
            )
    acro[NameObject("/NeedAppearances")] = BooleanObject(False)
    if flatten:
        _flatten(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _set_button(
    widget: DictionaryObject, terminal: DictionaryObject, kind: str, value: str
) -> None:
    """A check box ticks on a true value; a radio button is on when the value is its
    state, and its group's value is that state (or Off when no button has it)."""
    states = _on_states(widget)
    if kind == CHECKBOX:
        on = states[0] if states else "Yes"
        chosen = on if (_truthy(value) or value == on) else "Off"
    elif value in states:
        chosen = value
    else:
        widget[NameObject("/AS")] = NameObject("/Off")
        if value not in _all_states(terminal):
            terminal[NameObject("/V")] = NameObject("/Off")
        return
    widget[NameObject("/AS")] = NameObject(f"/{chosen}")
    terminal[NameObject("/V")] = NameObject(f"/{chosen}")


def _all_states(terminal: DictionaryObject) -> set[str]:
    found: set[str] = set()
    for kid in terminal.get("/Kids") or ():
        found.update(_on_states(kid.get_object()))
    return found


# -- flattening


def _normal_appearance(widget: DictionaryObject) -> StreamObject | None:
    ap = widget.get("/AP")
    if ap is None:
        return None
    normal = ap.get_object().get("/N")
    if normal is None:
        return None
    normal = normal.get_object()
    if isinstance(normal, StreamObject):
        return normal
    if isinstance(normal, DictionaryObject):
        state = widget.get("/AS")
        chosen = normal.get(state) if state is not None else None
        chosen = chosen.get_object() if chosen is not None else None
        return chosen if isinstance(chosen, StreamObject) else None
    return None


def _placement(widget: DictionaryObject, xobject: StreamObject) -> str:
    """The ``cm`` that maps the appearance's bounding box onto the widget's rectangle."""
    x1, y1, x2, y2 = _rect(widget)
    bbox = _numbers(xobject.get("/BBox")) or (0.0, 0.0, x2 - x1, y2 - y1)
    bx1, by1, bx2, by2 = bbox[:4]
    sx = (x2 - x1) / (bx2 - bx1) if bx2 != bx1 else 1.0
    sy = (y2 - y1) / (by2 - by1) if by2 != by1 else 1.0
    return f"{sx:.6f} 0 0 {sy:.6f} {x1 - bx1 * sx:.4f} {y1 - by1 * sy:.4f} cm"


def _flatten(writer: PdfWriter) -> None:
    for page in writer.pages:
        annots = page.get("/Annots")
        if not annots:
            continue
        kept = ArrayObject()
        drawing: list[str] = []
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        for annot in annots.get_object():
            widget = annot.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                kept.append(annot)
                continue
            xobject = _normal_appearance(widget)
            hidden = int(widget.get("/F") or 0) & _ANNOT_HIDDEN
            if xobject is None or hidden:
                continue
            xobject.setdefault(NameObject("/Subtype"), NameObject("/Form"))
            xobject.setdefault(NameObject("/Type"), NameObject("/XObject"))
            label = f"/IHFlat{len(xobjects)}"
            xobjects[NameObject(label)] = (
                xobject.indirect_reference
                if xobject.indirect_reference is not None
                else writer._add_object(xobject)
            )
            drawing.append(f"q {_placement(widget, xobject)} {label} Do Q")
        if drawing:
            before, after = StreamObject(), StreamObject()
            before.set_data(b"q\n")
            after.set_data(("\nQ\n" + "\n".join(drawing) + "\n").encode("ascii"))
            contents = page.get("/Contents")
            parts = ArrayObject([writer._add_object(before)])
            if contents is not None:
                existing = contents.get_object()
                if isinstance(existing, ArrayObject):
                    parts.extend(existing)
                else:
                    is_ref = isinstance(contents, IndirectObject)
                    parts.append(contents if is_ref else writer._add_object(existing))
            parts.append(writer._add_object(after))
            page[NameObject("/Contents")] = parts
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            del page["/Annots"]
    root = writer._root_object
    if "/AcroForm" in root:
        del root["/AcroForm"]


__all__ = [
    "FILLABLE",
    "KIND_LABELS",
    "FormField",
    "fill",
    "open_form",
    "read_fields",
]
