"""Printing in the app: the intern's Packets tab lists what was printed, a packet is
previewed (Qt PDF, from memory) and saved through the service (recorded), a mentor
gets no HR binder, and a school's batch writes its files. The batch here runs on the
app's worker thread (under the command's worker-process threshold, as a small
school's does); the worker processes are proved by the command's own tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.models import PacketExport
from internhost.core.services import accounts, interns, packets
from internhost.core.storage import db
from internhost.gui.dialogs.pdf_preview import PdfPreviewDialog
from internhost.gui.dialogs.print_packets import PrintPacketsDialog
from internhost.gui.views.packets_tab import PacketsTab


def _records(database: Any) -> int:
    with db.read_session(database.factory, SYSTEM) as s:
        return s.scalar(select(func.count(PacketExport.id))) or 0


def _tab(qtbot: Any, ops: Any, intern_id: int) -> PacketsTab:
    detail = ops.database.read(interns.get_intern, intern_id, ops.today())
    tab = PacketsTab(ops)
    qtbot.addWidget(tab)
    tab.resize(1000, 500)
    tab.show()
    tab.show_intern(detail)
    assert ops.runner.settle()
    return tab


def _first_target(database: Any) -> Any:
    return database.read(packets.packet_targets, every=True)[0]


def test_a_preview_saves_and_records_the_packet_and_the_tab_lists_it(
    qtbot: Any, ops: Any, database: Any, tmp_path: Path, monkeypatch: Any, screenshot: Any
) -> None:
    """The tab lists what the service wrote and recorded: the packet saved from the
    preview (``packets.save_rendered``), the bytes shown."""
    target = _first_target(database)
    tab = _tab(qtbot, ops, target.intern_id)
    assert tab.model.rowCount() == 0 and tab.note.isVisible()
    assert f"Intern ID {target.intern_id}" in tab.id_label.text()
    assert tab.binder_button.isVisible()  # HR (the system) prints binders

    tab.print_school_packet()
    assert ops.runner.settle()
    dialog = tab.findChild(PdfPreviewDialog)
    assert dialog is not None and dialog.pdf.page_count > 0
    latest = database.read(packets.packet_targets, intern_id=target.intern_id)[0]
    assert dialog.preview.file_name == packets.file_name(latest)
    assert dialog.pdf.page_label.text() == f"Page 1 of {dialog.pdf.page_count}"
    dialog.pdf.next_page()
    assert dialog.pdf.page_label.text() == f"Page 2 of {dialog.pdf.page_count}"
    assert dialog.pdf.previous_button.isEnabled()
    dialog.pdf.zoom_in()
    assert dialog.pdf.view.zoomMode() == QPdfView.ZoomMode.Custom
    dialog.pdf.fit_width()
    assert dialog.pdf.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    screenshot(dialog, "preview")

    # The database itself is refused by the guard: nothing written, nothing recorded.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    before = _records(database)
    dialog.save_to(database.path)
    assert ops.runner.settle()
    assert warned and "choose another file" in warned[0] and _records(database) == before

    dialog.save_to(tmp_path / "saved.pdf")
    assert ops.runner.settle()
    assert (tmp_path / "saved.pdf").read_bytes() == dialog.preview.content
    assert _records(database) == before + 1 and dialog.open_button.isVisible()
    assert tab.model.rowCount() == 1  # the tab read again: the save announced it
    assert tab.view.isVisible() and not tab.note.isVisible()
    assert tab.model.row_at(0).row.filename == "saved.pdf"
    screenshot(tab, "packets-tab")
    dialog.discard()


def test_a_mentor_gets_no_hr_binder_and_forms_they_may_not_fill_blank_only(
    qtbot: Any, database: Any, ops_for: Any
) -> None:
    from internhost.gui.database import Database
    from internhost.gui.views.packets_tab import FormDialog

    with db.read_session(database.factory, SYSTEM) as s:
        mentor = next(
            accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM) if r.role == "mentor"
        )
    handle = Database.open(database.path, mentor, database.today)
    try:
        ops = ops_for(handle)
        own = handle.read(packets.packet_targets, every=True)[0]
        tab = _tab(qtbot, ops, own.intern_id)
        assert tab.binder_button.isHidden() and tab.school_button.isEnabled()
        from internhost.gui import printing

        dialog = FormDialog(tab, printing.form_choices(mentor), "the placement")
        dialog.form.setCurrentIndex(dialog.form.findData("parental-consent"))
        assert not dialog.prefilled.isEnabled() and dialog.blank.isChecked()
        assert "blank" in dialog.why.text()
        dialog.show()
        qtbot.wait(30)
        dialog.grab().save(str(Path(handle.path).parent / "form-dialog.png"))
        dialog.form.setCurrentIndex(dialog.form.findData("completion-certificate"))
        assert dialog.prefilled.isEnabled()
        dialog.discard()
        # Through the tab: the certificate pre-filled for their own intern, previewed.
        tab.print_form()
        chosen = tab.findChildren(FormDialog)[-1]  # the one the tab opened
        chosen.form.setCurrentIndex(chosen.form.findData("completion-certificate"))
        chosen.accept()
        assert ops.runner.settle()
        preview = tab.findChild(PdfPreviewDialog)
        assert preview is not None and preview.pdf.page_count > 0
        assert preview.preview.file_name == f"completion-certificate-{own.intern_id}.pdf"
        preview.discard()
        ops.runner.settle()
    finally:
        handle.close()


def test_a_schools_batch_writes_a_file_per_intern_and_sums_up(
    qtbot: Any, ops: Any, database: Any, tmp_path: Path, screenshot: Any
) -> None:
    from internhost.gui.views.directory import SchoolsView

    targets = database.read(packets.packet_targets, every=True)
    school, count = min(Counter(t.school_id for t in targets).items(), key=lambda x: x[1])
    # All but two are printed already: kept (no --force), so the test renders two.
    out = tmp_path / "out"
    out.mkdir()
    for t in [t for t in targets if t.school_id == school][2:]:
        (out / packets.file_name(t)).write_bytes(b"%PDF-1.4 printed before")
    view = SchoolsView(ops)
    qtbot.addWidget(view)
    view.show()
    assert ops.runner.settle()
    assert view.select(school) and view.print_button.isEnabled()
    assert view.print_packets()
    dialog = view.findChild(PrintPacketsDialog)
    assert dialog is not None
    dialog.folder.setText(str(tmp_path / "out"))
    screenshot(dialog, "batch-choices")
    dialog.start()
    assert ops.runner.settle()
    outcome = dialog.outcome
    assert outcome is not None and not outcome.in_workers and not outcome.result.failed
    assert len(list(out.glob("*.pdf"))) == count and len(outcome.written) == 2
    assert dialog.counts.text() == f"2 written, {count - 2} kept, 0 failed."
    assert dialog.kept_note.isVisible()
    assert dialog.open_button.isVisible()
    screenshot(dialog, "batch-summary")
    dialog.discard()


def test_a_reprint_names_the_version_it_replaces() -> None:
    from datetime import UTC, datetime

    from internhost.core.dto_packets import PacketRow
    from internhost.gui.views.packets_tab import packet_lines

    def row(id_: int, code: str, replaces: int | None, placement: int | None = 5) -> PacketRow:
        when = datetime(2026, 10, id_, 9, tzinfo=UTC)
        return PacketRow(
            id_, "school", 3, placement, when, "Dana", f"{id_}.pdf", 8, "", code, (), 1, replaces
        )

    first, second = row(3, "ABCDEFGHJKLM", None), row(9, "NPQRSTUVWXYZ", 3)
    binder = row(4, "AAAABBBBCCCC", 99, placement=None)
    lines = packet_lines([second, binder, first], {5: "Aug 31, 2026 – Jan 15, 2027"})
    assert [line.replaces for line in lines] == [
        "ABCD-EFGH-JKLM",
        "An earlier version",
        "—",
    ]
    assert lines[0].replaced_on == "Replaces the version printed Oct 3, 2026"
    dates = "Aug 31, 2026 – Jan 15, 2027"
    assert [line.placement for line in lines] == [dates, "Every placement", dates]


def test_hr_picks_several_interns_for_their_binders(open_window: Any, demo_path: Path) -> None:
    from PySide6.QtCore import QItemSelectionModel

    window = open_window(demo_path)
    window.show_page("interns")
    view = window.interns_view
    assert window.runner.settle()
    picks = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2):
        view.table.selectionModel().select(view.model.index(row, 0), picks)
    assert window.runner.settle()
    chosen = [view.model.intern_id(0), view.model.intern_id(2)]
    assert view.selected_intern_ids() == chosen and view.binder_action.isEnabled()
    assert view.detail.current is not None  # the detail still shows one of them
    assert view.print_binders()
    dialog = view.findChild(PrintPacketsDialog)
    assert dialog is not None
    request = dialog.chosen()
    assert request.kind == "hr" and request.intern_ids == tuple(chosen)
    assert dialog.school_kind.isHidden() and dialog.combined.isHidden()
    dialog.discard()
