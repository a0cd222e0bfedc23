"""The look: Fusion with a light palette, one stylesheet, the shipped fonts, the icons.

Everything here is cheap on purpose (it runs before the first window shows):
registering a font file only records it, and the stylesheet is a string. Widgets
opt into styles with an object name or a ``role`` property, never inline colours.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from internhost.paths import fonts_dir, resources_dir

ACCENT = "#2563eb"
TEXT = "#1f2933"
MUTED = "#6b7280"
WINDOW = "#f6f7f9"
BORDER = "#e3e6eb"
SEVERITY_COLORS = {"violation": "#dc2626", "warning": "#d97706", "advisory": "#2563eb"}
ERROR = "#b91c1c"
#: Pill (badge) colours drawn in table cells, by tone: (background, text). The same
#: tones as the ``badge`` label roles below, so a cell's pill matches a form's badge.
PILL_TONES = {
    "warning": ("#fef3c7", "#92400e"),
    "danger": ("#fee2e2", "#991b1b"),
    "info": ("#dbeafe", "#1e40af"),
    "muted": ("#e5e7eb", "#374151"),
    "success": ("#dcfce7", "#166534"),
}
#: Drawn when a user's font lacks a glyph (CJK names): Qt would draw boxes otherwise.
FALLBACK_FAMILIES = ["DejaVu Sans", "Droid Sans Fallback"]

_SEVERITY_DOTS = "".join(
    f'QLabel[role="dot-{severity}"] {{ color: {color}; font-size: 12pt; }}\n'
    for severity, color in SEVERITY_COLORS.items()
)

_BADGE_SHAPE = "border-radius: 8px; padding: 1px 8px; font-size: 8pt; font-weight: 600;"
#: ``badge`` is the warning tone; ``badge-<tone>`` the others, all from PILL_TONES.
_BADGES = "".join(
    f'QLabel[role="{"badge" if tone == "warning" else f"badge-{tone}"}"] '
    f"{{ background: {bg}; color: {fg}; {_BADGE_SHAPE} }}\n"
    for tone, (bg, fg) in PILL_TONES.items()
)

#: Qt style sheets take URLs with forward slashes on every platform.
_CHEVRON = (resources_dir() / "icons" / "chevron-down.svg").as_posix()

STYLESHEET = f"""
QMainWindow, #page {{ background: {WINDOW}; }}
QLabel {{ color: {TEXT}; }}
QLabel[role="title"] {{ font-size: 18pt; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: 12pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="metric"] {{ font-size: 22pt; font-weight: 600; }}
{_BADGES}QLabel[role="error"] {{ color: {ERROR}; }}
QLabel[role="empty"] {{ color: {MUTED}; font-size: 11pt; }}
{_SEVERITY_DOTS}
QFrame#card {{ background: white; border: 1px solid {BORDER}; border-radius: 10px; }}
#sidebar {{ background: #eef0f3; border-right: 1px solid {BORDER}; }}
#sidebar QLabel {{ background: transparent; }}
#brand {{ font-size: 13pt; font-weight: 600; }}
QListWidget#nav {{ background: transparent; border: none; outline: 0; }}
QListWidget#nav::item {{
    color: {TEXT}; padding: 7px 10px; margin: 1px 8px; border-radius: 6px;
}}
QListWidget#nav::item:hover {{ background: #e2e6ec; }}
QListWidget#nav::item:selected {{ background: #dce7fd; color: #1d4ed8; }}
QListWidget#nav::item:disabled {{ color: #9aa1ab; }}
QListWidget#wizardSteps {{
    background: #eef0f3; border: none; border-right: 1px solid {BORDER}; outline: 0;
    padding-top: 12px;
}}
QListWidget#wizardSteps::item {{ color: {MUTED}; padding: 0 14px; }}
QListWidget#wizardSteps::item:selected {{ background: #dce7fd; color: #1d4ed8; }}
QListWidget#plain {{ background: transparent; border: none; outline: 0; }}
QListWidget#plain::item {{ padding: 5px 2px; border-bottom: 1px solid #f0f2f5; color: {TEXT}; }}
QListWidget#plain::item:selected {{ background: #eef4ff; color: {TEXT}; }}
QSplitter::handle {{ background: transparent; }}
QTableView {{
    background: white; border: 1px solid {BORDER}; border-radius: 8px;
    gridline-color: transparent; selection-background-color: #dce7fd;
    selection-color: {TEXT}; alternate-background-color: #fafbfc;
}}
QTableView::item {{ padding: 0 6px; }}
QTableView#fitted {{ font-size: 9pt; }}
QTableView#fitted QHeaderView::section {{ font-size: 9pt; padding: 4px 6px; }}
QHeaderView::section {{
    background: #f9fafb; color: {MUTED}; border: none;
    border-bottom: 1px solid {BORDER}; padding: 5px 6px; font-weight: 600;
}}
QLineEdit {{
    background: white; border: 1px solid #d5d9df; border-radius: 7px; padding: 5px 8px;
}}
QLineEdit:focus {{ border: 1px solid {ACCENT}; }}
QPlainTextEdit {{
    background: white; border: 1px solid #d5d9df; border-radius: 7px; padding: 2px 4px;
}}
QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QPlainTextEdit:disabled {{ background: #f9fafb; color: {MUTED}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {{
    border: 1px solid {ERROR};
}}
QComboBox {{
    background: white; border: 1px solid #d5d9df; border-radius: 7px; padding: 4px 8px;
    combobox-popup: 0;  /* a list, not Fusion's menu: its current row kept no colours */
}}
QComboBox:focus {{ border: 1px solid {ACCENT}; }}
QComboBox:disabled {{ background: #f9fafb; color: {MUTED}; }}
QComboBox::drop-down {{ border: none; width: 22px; }}
QComboBox::down-arrow {{ image: url("{_CHEVRON}"); width: 12px; height: 12px; }}
QComboBox QAbstractItemView {{
    background: white; color: {TEXT}; border: 1px solid {BORDER}; outline: 0;
    selection-background-color: #dce7fd; selection-color: {TEXT};
}}
QComboBox QAbstractItemView::item {{ padding: 4px 8px; color: {TEXT}; }}
QComboBox QAbstractItemView::item:selected {{ background: #dce7fd; color: {TEXT}; }}
QTabWidget#detailTabs::pane {{ border: none; border-top: 1px solid {BORDER}; top: -1px; }}
QTabWidget#detailTabs > QTabBar {{ background: transparent; }}
QTabWidget#detailTabs > QTabBar::tab {{
    background: transparent; color: {MUTED}; border: none;
    border-bottom: 2px solid transparent; padding: 6px 2px; margin-right: 14px;
    font-weight: 600;
}}
QTabWidget#detailTabs > QTabBar::tab:hover {{ color: {TEXT}; }}
QTabWidget#detailTabs > QTabBar::tab:selected {{
    color: {ACCENT}; border-bottom: 2px solid {ACCENT};
}}
QFrame#detailsBox {{ background: #f9fafb; border: 1px solid {BORDER}; border-radius: 8px; }}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: white; border: none; border-radius: 7px;
    padding: 8px 18px; font-weight: 600;
}}
QPushButton[role="primary"]:hover {{ background: #1d4ed8; }}
QPushButton[role="primary"]:disabled {{ background: #93b4f5; }}
QPushButton[role="secondary"] {{
    background: white; color: {TEXT}; border: 1px solid #d5d9df; border-radius: 7px;
    padding: 7px 14px;
}}
QPushButton[role="secondary"]:hover {{ background: #f3f4f6; }}
QPushButton[role="secondary"]:disabled {{ color: #9aa1ab; }}
QLabel#warningBar {{
    background: #fef3c7; color: #92400e; padding: 8px 16px; border-bottom: 1px solid #fcd34d;
}}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QAbstractScrollArea::corner {{ background: transparent; border: none; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle {{ background: #c9ced6; border-radius: 3px; }}
QScrollBar::handle:hover {{ background: #a9b0ba; }}
QScrollBar::handle:vertical {{ min-height: 28px; }}
QScrollBar::handle:horizontal {{ min-width: 28px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QProgressBar {{ background: #e5e7eb; border: none; border-radius: 3px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QStatusBar {{ background: #eef0f3; color: {MUTED}; border-top: 1px solid {BORDER}; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 6px; }}
"""


def load_fonts() -> None:
    """Register the shipped fonts and make them the fallback for missing glyphs."""
    for path in sorted(fonts_dir().glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    family = QApplication.font().family()
    QFont.insertSubstitutions(family, [f for f in FALLBACK_FAMILIES if f != family])


def _palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#fafbfc",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#9aa1ab",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9aa1ab"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9aa1ab"))
    return palette


#: Set on the application once styled.
_STYLED = "internhost-styled"


def apply(app: QApplication) -> None:
    """Style the whole application, before the first window. Once: styling an app
    again re-polishes every widget it has, for nothing (and a widget half torn down
    by then would be called into)."""
    if app.property(_STYLED):
        return
    app.setProperty(_STYLED, True)
    app.setStyle("Fusion")
    app.setPalette(_palette())
    load_fonts()
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    app.setWindowIcon(icon("internhost"))


@cache
def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg`` (rendered by Qt's SVG icon engine)."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def set_role(widget: QWidget, role: str) -> QWidget:
    """Give ``widget`` a stylesheet role (``title``, ``muted``, ``badge``…) and re-polish."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return widget


@cache
def dot_icon(color: str, size: int = 10) -> QIcon:
    """A filled circle (a severity dot), drawn at twice the size for sharp HiDPI."""
    scale = 2
    pixmap = QPixmap(size * scale, size * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(1, 1, size * scale - 2, size * scale - 2))
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    result = QIcon(pixmap)
    result.addPixmap(pixmap, QIcon.Mode.Selected)  # not tinted in a selected row
    return result
