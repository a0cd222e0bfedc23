"""Every form page carries the packets' footer ("Page X of Y", the employer, the
generation date, ``Verification XXXX-XXXX-XXXX``) and the PDF its title, author and
subject. The code is the packets' ``verification_code`` of the form's content without
its generation date: the same data gives the same code, other data another."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pypdf

from internhost.core.dto import TimesheetContent, TimesheetDay
from internhost.core.dto_forms import FormContent
from internhost.core.reports.forms.render import form_code, render_form
from internhost.core.reports.packet import shown_code
from internhost.core.reports.timesheet import render_timesheet
from internhost.core.services.forms import list_forms

EMPLOYER = "Zoë Łukasiewicz Tool & Die"
DAY = date(2026, 12, 7)
CODE = re.compile(r"Verification ([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})")


def _pdf(content: FormContent) -> pypdf.PdfReader:
    out = io.BytesIO()
    render_form(out, content)
    return pypdf.PdfReader(io.BytesIO(out.getvalue()))


def _footers(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_every_blank_form_page_carries_the_footer_and_metadata() -> None:
    for info in list_forms():
        if info.name == "timesheet":
            continue  # its blank is the pre-filled sheet's layout (below)
        content = FormContent(info.name, info.title, EMPLOYER, False, DAY)
        reader = _pdf(content)
        pages = len(reader.pages)
        code = shown_code(form_code(content))
        for number, text in enumerate(_footers(reader), 1):
            assert f"Page {number} of {pages}" in text, info.name
            assert EMPLOYER in text and "Generated 2026-12-07" in text, info.name
            assert CODE.findall(text) == [code], info.name
        meta = reader.metadata
        assert meta is not None
        assert meta.title == f"{info.title}: blank form"
        assert meta.author == EMPLOYER and meta.subject == info.subject
        assert meta["/InternHostVerification"] == form_code(content)


def test_the_code_follows_the_data_not_the_day() -> None:
    content = FormContent(
        "reference-letter",
        "Reference letter",
        EMPLOYER,
        True,
        DAY,
        (("letter", "José was careful."),),
        about="José Núñez, placement 7",
    )
    later = replace(content, generated_on=date(2027, 1, 4))
    changed = replace(content, values=(("letter", "José was very careful."),))
    assert form_code(later) == form_code(content) != form_code(changed)
    text = "".join(_footers(_pdf(later)))
    assert "Generated 2027-01-04" in text and shown_code(form_code(content)) in text


def test_the_timesheet_carries_it_too() -> None:
    days = tuple(TimesheetDay(date(2026, 12, 7 + i), (), 0, (), 0) for i in range(7))
    sheet = TimesheetContent(EMPLOYER, "李小龍", "40017", "Rockford Plant", "Maria", DAY, days)
    content = FormContent(
        "timesheet", "Weekly timesheet", EMPLOYER, True, DAY, timesheet=sheet, about="李小龍"
    )
    (text,) = _footers(_pdf(content))
    assert "Page 1 of 1" in text and "李小龍" in text
    assert CODE.findall(text) == [shown_code(form_code(content))]
    out = io.BytesIO()
    render_timesheet(out, sheet)  # on its own (the Hours tab's): its own content's code
    (alone,) = _footers(pypdf.PdfReader(io.BytesIO(out.getvalue())))
    assert len(CODE.findall(alone)) == 1 and EMPLOYER in alone
