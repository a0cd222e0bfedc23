"""Charts drawn with ``reportlab.graphics`` (no Qt, no extra backend): hours per week
and competency ratings over time. Every label uses the shipped DejaVu font, so no
base-14 font is referenced by a packet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from internhost.core.reports.fonts import REGULAR, register_fonts

BAR = colors.HexColor("#3b6ea5")
AWAITING = colors.HexColor("#b8c9dd")
#: Line colours, one per competency (repeating past eight).
LINES = tuple(
    colors.HexColor(c)
    for c in (
        "#3b6ea5",
        "#c0504d",
        "#9bbb59",
        "#8064a2",
        "#4bacc6",
        "#f79646",
        "#7f7f7f",
        "#2c4d75",
    )
)


def _label_every(count: int, room: int) -> int:
    """Show every n-th category label so at most ``room`` are drawn."""
    return max(1, -(-count // room))


def hours_chart(
    weeks: Sequence[tuple[date, float, float]], width: float, height: float = 150
) -> Drawing:
    """Approved (dark) and awaiting (light) hours per week, stacked."""
    register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 28
    chart.width, chart.height = int(width - 48), int(height - 44)
    chart.data = [[a for _, a, _ in weeks] or [0], [w for _, _, w in weeks] or [0]]
    chart.categoryAxis.style = "stacked"
    every = _label_every(len(weeks), 14)
    chart.categoryAxis.categoryNames = [
        f"{d:%m/%d}" if n % every == 0 else "" for n, (d, _, _) in enumerate(weeks)
    ] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 0
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR
    chart.bars[1].fillColor = AWAITING
    chart.bars.strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height - 10, "Hours", fontName=REGULAR, fontSize=7))
    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = 7
    legend.x, legend.y = int(width - 170), int(height - 4)
    legend.columnMaximum = 1
    legend.alignment = "right"
    legend.colorNamePairs = [(BAR, "approved"), (AWAITING, "awaiting approval")]
    legend.dx = legend.dy = 6
    legend.deltax = 80
    drawing.add(legend)
    return drawing


def ratings_chart(
    dates: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    scale_max: int,
    width: float,
    height: float = 170,
) -> Drawing:
    """One line per competency across the evaluations (dates), levels 0..scale_max."""
    register_fonts()
    lines = max(1, len(series))
    legend_rows = min(lines, 8)
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 24
    chart.width, chart.height = int(width * 0.55), int(height - 36)
    chart.data = [list(values) for _, values in series] or [[0]]
    chart.categoryAxis.categoryNames = [f"{d:%m/%d/%y}" for d in dates] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, scale_max)
    chart.valueAxis.valueStep = 1
    for n in range(lines):
        chart.lines[n].strokeColor = LINES[n % len(LINES)]
        chart.lines[n].strokeWidth = 1.5
    drawing.add(chart)
    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = 7
    legend.x, legend.y = chart.x + chart.width + 20, int(height - 8)
    legend.columnMaximum = legend_rows
    legend.dx = legend.dy = 6
    legend.deltay = 11
    legend.colorNamePairs = [
        (LINES[n % len(LINES)], name[:40]) for n, (name, _) in enumerate(series[:16])
    ]
    drawing.add(legend)
    return drawing
