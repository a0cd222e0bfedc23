"""Fillable PDFs built in the tests with ReportLab's ``canvas.acroForm`` (never a
binary blob): a school's form with text fields, a check box, a choice and radio
buttons; the same made XFA, encrypted, or without fields."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, StreamObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

#: The fields of ``school_form()``: name -> kind.
FIELDS = {
    "student_name": "text",
    "birth_date": "text",
    "mentor": "text",
    "employer": "text",
    "notes": "text",
    "cde_met": "checkbox",
    "grade": "choice",
    "term": "radio",
}


def school_form(*, extra: tuple[str, ...] = ()) -> bytes:
    """A one-page school form; ``extra`` adds text fields with those (hostile) names."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=letter)
    c.setTitle("Work-based learning form")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 740, "Lincoln High School - Work-Based Learning Placement")
    c.setFont("Helvetica", 10)
    form = c.acroForm
    y = 700
    for label, name in (
        ("Student name", "student_name"),
        ("Date of birth", "birth_date"),
        ("Mentor", "mentor"),
        ("Employer", "employer"),
    ):
        c.drawString(72, y + 6, label)
        form.textfield(name=name, x=180, y=y, width=300, height=20, fontSize=0)
        y -= 34
    c.drawString(72, y + 6, "Notes")
    form.textfield(
        name="notes", x=180, y=y - 30, width=300, height=50, fieldFlags="multiline", fontSize=0
    )
    y -= 70
    c.drawString(72, y, "60 CDE hours met")
    form.checkbox(name="cde_met", x=180, y=y - 4, size=14, buttonStyle="check")
    y -= 30
    c.drawString(72, y, "Grade")
    form.choice(
        name="grade",
        x=180,
        y=y - 4,
        width=80,
        height=18,
        options=["9", "10", "11", "12"],
        value="9",
    )
    y -= 30
    c.drawString(72, y, "Term")
    for i, term in enumerate(("Fall", "Spring")):
        form.radio(name="term", value=term, selected=i == 0, x=180 + i * 60, y=y - 4, size=14)
    y -= 30
    for i, name in enumerate(extra):
        form.textfield(name=name, x=180, y=y - 24 * i, width=200, height=18)
    c.showPage()
    c.save()
    return buffer.getvalue()


def xfa_form() -> bytes:
    """The school form with an ``/XFA`` entry in its AcroForm dictionary."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(school_form())))
    xml = StreamObject()
    xml.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    acro = writer._root_object["/AcroForm"].get_object()
    acro[NameObject("/XFA")] = ArrayObject([writer._add_object(xml)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_form() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(school_form())))
    writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "No fields here")
    c.showPage()
    c.save()
    return buffer.getvalue()
