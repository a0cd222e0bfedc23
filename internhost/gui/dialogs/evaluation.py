"""The evaluation editor: its kind, the framework it rates on, a rubric grid (a level
and an evidence note per competency in use, levels on that framework's own scale),
the overall level, strengths, growth areas, and who signed when
(``evaluations.save_evaluation``).

Usable by keyboard alone: Tab walks the rubric row by row (level, then evidence), a
digit picks a level, and Save is Ctrl+Enter or the button reached by Tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from internhost.core.dto_progress import EvaluationRow, FrameworkRow, ProgressOverview
from internhost.core.models.enums import EVALUATION_KINDS
from internhost.core.services import evaluations
from internhost.gui.dialogs.record import RecordDialog, refusal
from internhost.gui.ops import Ops
from internhost.gui.views.progress_tab import placement_choices
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import label

CHANGES = {"progress"}
NOT_RATED = "—"
#: Wide enough for the evidence notes beside the levels.
RUBRIC_WIDTH = 780


def level_choices(framework: FrameworkRow | None) -> list[tuple[Any, str]]:
    """None (not rated), then each level with its name where the framework has one."""
    if framework is None:
        return [(None, NOT_RATED)]
    names = framework.scale_labels
    return [(None, NOT_RATED)] + [
        (level, f"{level} · {names[level - 1]}" if names else str(level))
        for level in range(1, framework.scale_max + 1)
    ]


class RubricInput(f.FieldWidget):
    """One row per competency of the framework in use: its name, a level and an
    evidence note. ``value()`` holds the rated rows as ``RatingInput``s."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.rows: list[tuple[int, QComboBox, QLineEdit]] = []
        self._empty = label("Choose a framework to rate on.", "muted")
        self.grid.addWidget(self._empty, 0, 0, 1, 3)

    def set_framework(self, framework: FrameworkRow | None, keep: Sequence[int] = ()) -> None:
        """Rows for ``framework``'s competencies in use (and those in ``keep``: rated
        by this evaluation before they were retired); the values typed so far stay
        where the same competency is still listed."""
        before = {r.competency_id: (r.level, r.evidence) for r in self.value()}
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self._empty:
                widget.deleteLater()
        self.rows = []
        shown = [
            c
            for c in (framework.competencies if framework else ())
            if not c.retired or c.id in keep
        ]
        self._empty.setVisible(not shown)
        if not shown:
            self.grid.addWidget(self._empty, 0, 0, 1, 3)
            return
        for column, heading in enumerate(("Competency", "Level", "Evidence")):
            self.grid.addWidget(label(heading, "muted"), 0, column)
        for row, c in enumerate(shown, start=1):
            name = QLabel(c.name + (" (retired)" if c.retired else ""))
            name.setToolTip(c.description)
            level = QComboBox()
            level.setObjectName(f"level_{c.key}")
            for value, text in level_choices(framework):
                level.addItem(text, value)
            evidence = QLineEdit()
            evidence.setObjectName(f"evidence_{c.key}")
            evidence.setPlaceholderText("What you saw (evidence for the level)")
            name.setBuddy(level)
            stored = before.get(c.id)
            if stored is not None:
                level.setCurrentIndex(max(0, level.findData(stored[0])))
                evidence.setText(stored[1])
            level.currentIndexChanged.connect(self.changed)
            evidence.textChanged.connect(self.changed)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(level, row, 1)
            self.grid.addWidget(evidence, row, 2)
            self.rows.append((c.id, level, evidence))
        self.grid.setColumnStretch(2, 1)
        for (_, a_level, a_evidence), (_, b_level, _b) in zip(
            self.rows, [*self.rows[1:], (0, None, None)], strict=True
        ):
            QWidget.setTabOrder(a_level, a_evidence)
            if b_level is not None:
                QWidget.setTabOrder(a_evidence, b_level)
        self.changed.emit()

    def value(self) -> tuple[evaluations.RatingInput, ...]:
        return tuple(
            evaluations.RatingInput(cid, level.currentData(), evidence.text())
            for cid, level, evidence in self.rows
            if level.currentData() is not None
        )

    def set_value(self, value: Any) -> None:
        given = {r.competency_id: r for r in value or ()}
        for cid, level, evidence in self.rows:
            rating = given.get(cid)
            level.setCurrentIndex(max(0, level.findData(rating.level)) if rating else 0)
            evidence.setText(rating.evidence if rating else "")

    def editor(self) -> QWidget:
        return self.rows[0][1] if self.rows else self


class EvaluationForm(f.FieldForm):
    """The evaluation's fields; the rubric and the overall level follow the framework
    chosen. ``keep``: competencies this evaluation rated that were retired since."""

    def __init__(self, data: ProgressOverview, rows: list[FrameworkRow]) -> None:
        super().__init__(
            [
                f.choice("placement_id", "Placement", placement_choices(data)),
                f.choice(
                    "kind", "Kind", [(k, evaluations.KIND_LABELS[k]) for k in EVALUATION_KINDS]
                ),
                f.choice("framework_id", "Framework", [(r.id, r.label) for r in rows]),
                f.day("evaluated_on", "Evaluated on"),
                f.Field("ratings", "Rubric", RubricInput),
                f.choice("overall", "Overall level", level_choices(None)),
                f.text("strengths", "Strengths", multiline=True),
                f.text("growth_areas", "Growth areas", multiline=True),
                f.check("submit", "Mentor", "Submitted (signed by the evaluator)"),
                f.day("intern_acknowledged_on", "Intern acknowledged"),
                f.text("school_verified_by", "Verified by (school)"),
                f.day("school_verified_on", "Verified on"),
            ]
        )
        self.frameworks = {r.id: r for r in rows}
        self.keep: tuple[int, ...] = ()
        rubric, overall = self.input("ratings"), self.input("overall")
        assert isinstance(rubric, RubricInput) and isinstance(overall, f.ChoiceInput)
        self.rubric: RubricInput = rubric
        self.overall: f.ChoiceInput = overall
        self.input("framework_id").changed.connect(self.follow_framework)
        self.follow_framework()

    def follow_framework(self) -> None:
        framework = self.frameworks.get(self.input("framework_id").value())
        self.rubric.set_framework(framework, self.keep)
        self.overall.set_options(level_choices(framework))


def initial_values(
    data: ProgressOverview, rows: list[FrameworkRow], stored: EvaluationRow | None, today: Any
) -> dict[str, Any]:
    if stored is not None:
        return {
            "placement_id": stored.placement_id,
            "kind": stored.kind,
            "framework_id": stored.framework_id,
            "evaluated_on": stored.evaluated_on,
            "overall": stored.overall,
            "strengths": stored.strengths,
            "growth_areas": stored.growth_areas,
            "submit": stored.submitted_at is not None,
            "intern_acknowledged_on": stored.intern_acknowledged_on,
            "school_verified_by": stored.school_verified_by,
            "school_verified_on": stored.school_verified_on,
        }
    in_use = {r.id for r in rows}
    latest = next(
        (e.framework_id for e in reversed(data.evaluations) if e.framework_id in in_use), None
    )
    return {
        "placement_id": data.placements[-1].id,
        "kind": "progress",
        "framework_id": latest if latest is not None else (rows[0].id if rows else None),
        "evaluated_on": today,
    }


def open_evaluation(
    parent: QWidget, ops: Ops, data: ProgressOverview, stored: EvaluationRow | None = None
) -> None:
    """Read the frameworks it may rate on, then open the editor."""
    title = "New evaluation" if stored is None else "Edit evaluation"

    def opened(rows: list[FrameworkRow]) -> None:
        evaluation_dialog(parent, ops, EvaluationForm(data, rows), rows, data, stored, title).run()

    ops.read(
        parent,
        evaluations.evaluation_frameworks,
        stored.id if stored else None,
        done=opened,
        failed=refusal(parent, ops, title),
    )


def evaluation_dialog(
    parent: QWidget | None,
    ops: Ops,
    form: EvaluationForm,
    rows: list[FrameworkRow],
    data: ProgressOverview,
    stored: EvaluationRow | None,
    title: str,
) -> RecordDialog:
    """The dialog over ``form``, filled (a new evaluation, or ``stored``)."""
    form.set_values(initial_values(data, rows, stored, ops.today()))
    if stored is not None:
        form.keep = tuple(r.competency_id for r in stored.ratings)
        form.follow_framework()
        form.rubric.set_value(stored.ratings)
        form.overall.set_value(stored.overall)
        form.input("submit").setEnabled(stored.submitted_at is None)

    def save(values: dict[str, Any]) -> EvaluationRow:
        return ops.database.write(
            evaluations.save_evaluation,
            evaluations.EvaluationInput(**values),
            stored.id if stored else None,
        )

    dialog = RecordDialog(
        title,
        form,
        form.values,
        save,
        form.show_errors,
        parent,
        ops=ops,
        changes=CHANGES,
        intro="Rate what you saw: a level per competency, each with its evidence.",
    )
    dialog.resize(max(dialog.width(), RUBRIC_WIDTH), dialog.height())
    return dialog
