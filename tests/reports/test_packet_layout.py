"""The packet's building blocks: a long table repeats its header on every page it
reaches, a note longer than a page continues instead of failing the build, short
values are drawn literally, and the code is stable and 12 base-32 characters."""

from __future__ import annotations

import io
from datetime import date

from packetkit import page_texts, syntax_ok

from internhost.core.reports.packet import (
    Layout,
    PacketMeta,
    Section,
    data_table,
    facts_table,
    render,
    shown_code,
    verification_code,
)

META = PacketMeta("Test packet", "Subject", "Zoë's Works & Co.", date(2026, 1, 5), "ABCDEFGHJKMN")


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    layout = Layout()
    rows = [(f"2026-01-{n % 28 + 1:02d}", str(n), "x<y & AT&T " * (n % 4)) for n in range(300)]
    story = [Section("t", "Table", layout), data_table(("Day", "N", "Note"), rows, (80, 40, None))]
    content, pages = render(story, META, layout)
    texts = page_texts(content)
    assert pages == len(texts) > 3
    for n, page in enumerate(texts, start=1):
        assert "Day" in page and "Note" in page, n
        assert f"Page {n} of {pages}" in page and "Verification ABCD-EFGH-JKMN" in page
    assert "x<y & AT&T" in "".join(texts)
    syntax_ok(content)


def test_a_note_longer_than_a_page_continues() -> None:
    layout = Layout()
    note = "word " * 4000 + "THE-END"
    story = [
        data_table(("Date", "Notes shared with the school"), [("2026-01-05", note)], (80, None)),
        facts_table([("Exit reflection", note)]),
    ]
    content, pages = render(story, META, layout)
    assert pages > 4
    assert "".join(page_texts(content)).count("THE-END") == 2


def test_the_code_is_stable_base32_and_shown_in_groups() -> None:
    snapshot = {"name": "李小龍", "day": date(2026, 1, 5), "hours": [1, 2]}
    code = verification_code(snapshot)
    assert code == verification_code(dict(reversed(list(snapshot.items()))))
    assert len(code) == 12 and set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert verification_code({**snapshot, "hours": [1, 3]}) != code
    assert shown_code(code) == f"{code[:4]}-{code[4:8]}-{code[8:]}"


def test_the_metadata_name_the_packet() -> None:
    from pypdf import PdfReader

    layout = Layout()
    content, _ = render([Section("a", "A", layout)], META, layout)
    info = PdfReader(io.BytesIO(content)).metadata
    assert info.title == "Test packet" and info.author == "Zoë's Works & Co."
    assert info["/InternHostVerification"] == "ABCDEFGHJKMN"
