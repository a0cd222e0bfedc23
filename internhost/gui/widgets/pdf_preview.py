"""A PDF shown in the app (Qt PDF: ``QPdfDocument`` + ``QPdfView``), from bytes in
memory: a packet or a form is looked at before it is saved, so nothing is written
to disk to be previewed.

The bar above the pages: previous and next page, "Page X of Y", zoom out, fit the
width (the default, again on every resize) and zoom in. The bytes are held in a
``QBuffer`` the document reads from for as long as it shows them.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from internhost.gui.widgets.basics import button, label

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0


class PdfPreview(QWidget):
    """Shows one PDF's pages, one below the other, with page navigation and zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._update_bar)

        self.previous_button = button("‹ Previous", "secondary", self.previous_page)
        self.next_button = button("Next ›", "secondary", self.next_page)
        self.page_label = label(role="muted")
        self.page_label.setObjectName("pdfPageLabel")
        self.zoom_out_button = button("−", "secondary", self.zoom_out)
        self.zoom_out_button.setToolTip("Zoom out")
        self.fit_button = button("Fit width", "secondary", self.fit_width)
        self.zoom_in_button = button("+", "secondary", self.zoom_in)
        self.zoom_in_button.setToolTip("Zoom in")
        for small in (self.zoom_out_button, self.zoom_in_button):
            small.setFixedWidth(36)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(10)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.zoom_in_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_bar()

    # -- the document

    def load_bytes(self, content: bytes) -> bool:
        """Show the PDF ``content``; False (and an empty view) when Qt cannot read it."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(content))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.fit_width()
        self._update_bar()
        return self.document.status() == QPdfDocument.Status.Ready

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    # -- pages

    def go_to(self, page: int) -> None:
        """Show page ``page`` (from 0) at its top."""
        if 0 <= page < self.page_count:
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
            self._update_bar()

    def previous_page(self) -> None:
        self.go_to(self.current_page - 1)

    def next_page(self) -> None:
        self.go_to(self.current_page + 1)

    # -- zoom

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom_by(self, factor: float) -> None:
        zoom = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            # Fitted, the factor is worked out from the width: start from what shows.
            zoom = self._fitted_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, zoom * factor)))

    def _fitted_zoom(self) -> float:
        """The zoom factor that fits the first page's width in the view."""
        if self.page_count == 0:
            return 1.0
        points = self.document.pagePointSize(0).width()
        pixels = points * self.logicalDpiX() / 72.0
        width = self.view.viewport().width() - 2 * self.view.documentMargins().left()
        return max(ZOOM_MIN, width / pixels) if pixels else 1.0

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    # -- the bar

    def _update_bar(self, *_args: object) -> None:
        count = self.page_count
        page = self.current_page
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "No pages")
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
        for widget in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            widget.setEnabled(count > 0)
