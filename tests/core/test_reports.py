"""Reports skeleton: names survive, user text stays text, fonts embedded, pages numbered."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.platypus import PageBreak, Paragraph

from internhost.core.reports.fonts import BOLD, FALLBACK, REGULAR, font_runs, register_fonts
from internhost.core.reports.markup import esc
from internhost.core.reports.template import build_pdf, styles

REPO = Path(__file__).resolve().parents[2]
NAMES = ["Nguyễn Thị Ánh", "Zoë Łukasiewicz", "José Núñez", "李小龍"]
HOSTILE = ["x<y and y>z", "AT&T", '<img src="/etc/passwd"/>', "<para>", 'O\'Brien "Q"']
BASE_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def render(path: Path, texts: list[str], **kwargs: str) -> Path:
    """One Paragraph per user string, each through esc()."""
    story = [Paragraph(esc(text), styles()["Normal"]) for text in texts]
    build_pdf(path, story, **{"title": "Test report", **kwargs})
    return path


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_dicts(pdf: pikepdf.Pdf, key: str, value: str) -> list[pikepdf.Dictionary]:
    """Every dictionary object in the file with ``key == value`` (referenced or not)."""
    return [
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get(key) == pikepdf.Name(value)
    ]


@pytest.fixture
def names_pdf(tmp_path: Path) -> Path:
    return render(
        tmp_path / "names.pdf",
        NAMES,
        title="Roster — 李小龍",
        subject="Demo",
        header_right="Zoë Łukasiewicz",
    )


def test_demo_names_extract_exactly(names_pdf: Path) -> None:
    lines = page_texts(names_pdf)[0].splitlines()
    for name in NAMES:
        assert name in lines
    assert "■" not in "".join(lines)


def test_header_draws_cjk_and_latin_runs(names_pdf: Path) -> None:
    header = page_texts(names_pdf)[0].splitlines()[0]  # left and right share the baseline
    assert header.startswith("Roster — 李小龍")
    assert header.endswith("Zoë Łukasiewicz")


def test_every_font_is_embedded_and_none_is_base14(names_pdf: Path) -> None:
    with pikepdf.open(names_pdf) as pdf:
        fonts = pdf_dicts(pdf, "/Type", "/Font")
        base_names = {str(font.BaseFont).split("+")[-1] for font in fonts}
        for font in fonts:
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    assert base_names == {REGULAR, BOLD, FALLBACK}
    assert not any(name.startswith(BASE_14) for name in base_names)


def test_page_fonts_resolve_to_embedded_files(names_pdf: Path) -> None:
    """Walk what the pages actually reference, not just what the file holds."""
    with pikepdf.open(names_pdf) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert "/FontFile2" in font.FontDescriptor, font.BaseFont


def test_metadata_and_syntax(names_pdf: Path) -> None:
    meta = PdfReader(names_pdf).metadata
    assert (meta.title, meta.subject, meta.author) == ("Roster — 李小龍", "Demo", "InternHost")
    with pikepdf.open(names_pdf) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_hostile_markup_is_shown_literally(tmp_path: Path) -> None:
    path = render(tmp_path / "hostile.pdf", HOSTILE)
    lines = page_texts(path)[0].splitlines()
    for text in HOSTILE:
        assert text in lines
    with pikepdf.open(path) as pdf:
        assert pdf_dicts(pdf, "/Subtype", "/Image") == []
        assert pdf_dicts(pdf, "/Subtype", "/Link") == []


@pytest.mark.parametrize(
    ("raw", "markup"),
    [
        (None, ""),
        ("", ""),
        (42, "42"),
        ("x<y and y>z", "x&lt;y and y&gt;z"),
        ("AT&T", "AT&amp;T"),
        ('<img src="/etc/passwd"/>', "&lt;img src=&quot;/etc/passwd&quot;/&gt;"),
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("one\r\ntwo\rthree\nfour\tfive", "one<br/>two<br/>three<br/>four\tfive"),
        ("李小龍 Bruce", f'<font name="{FALLBACK}">李小龍 </font>Bruce'),
    ],
)
def test_esc(raw: object, markup: str) -> None:
    assert esc(raw) == markup


def test_esc_bold_wraps_and_our_markup_composes(tmp_path: Path) -> None:
    assert esc("Zoë", bold=True) == "<b>Zoë</b>"
    assert esc("", bold=True) == ""
    story = [
        Paragraph("<b>Name:</b> " + esc("<b>李</b>"), styles()["Normal"]),
        Paragraph(esc("Bold 李小龍", bold=True), styles()["Heading2"]),
    ]
    build_pdf(tmp_path / "mixed.pdf", story, title="Mixed")
    lines = page_texts(tmp_path / "mixed.pdf")[0].splitlines()
    assert "Name: <b>李</b>" in lines
    assert "Bold 李小龍" in lines


def test_control_chars_never_reach_the_page(tmp_path: Path) -> None:
    path = render(tmp_path / "controls.pdf", ["Zo\x00ë\x08 Ł\x1f"], title="Ctrl\x07 title")
    text = page_texts(path)[0]
    assert "Zoë Ł" in text.splitlines()
    assert text.startswith("Ctrl title")


def test_footer_counts_pages(tmp_path: Path) -> None:
    normal = styles()["Normal"]
    story = [Paragraph("one", normal), PageBreak(), Paragraph("two", normal), PageBreak()]
    story.append(Paragraph("three", normal))
    build_pdf(tmp_path / "three.pdf", story, title="Three pages")
    texts = page_texts(tmp_path / "three.pdf")
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of 3" in text.splitlines()
    assert len(story) == 5  # the caller's story is not consumed


def test_build_to_stream_and_empty_story_still_has_a_page() -> None:
    out = io.BytesIO()
    build_pdf(out, [], title="Empty")
    lines = PdfReader(out).pages[0].extract_text().splitlines()
    assert [line.strip() for line in lines] == ["Empty", "Page 1 of 1"]


def test_long_header_is_shortened_not_overlapping(tmp_path: Path) -> None:
    path = render(tmp_path / "long.pdf", ["body"], title="Packet " * 40, header_right="Right")
    header = page_texts(path)[0].splitlines()[0]
    assert header.startswith("Packet Packet")
    assert "Packet…" in header  # the left text is shortened …
    assert header.endswith("Right")  # … so the right text is drawn whole


def test_font_runs_pick_fallback_only_where_needed() -> None:
    assert font_runs("") == []
    assert font_runs("José Núñez") == [(REGULAR, "José Núñez")]
    assert font_runs("李\n龍 Zoë", bold=True) == [(FALLBACK, "李\n龍 "), (BOLD, "Zoë")]
    assert font_runs("😀") == [(REGULAR, "😀")]  # missing everywhere: the primary font


def test_register_fonts_is_idempotent_and_thread_safe() -> None:
    register_fonts()
    register_fonts()
    threads = [threading.Thread(target=register_fonts) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    styles()  # styles still resolve their fonts


def test_package_import_does_not_load_reportlab() -> None:
    code = "import sys, internhost.core.reports; assert 'reportlab' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
