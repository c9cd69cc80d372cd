"""The association's annual work plan as plain data, independent of the file it came from.

`reading.read_plan` builds a `PlanDocument` from a .docx or .txt file and
`writing.write_plan_docx` turns one back into the official Word layout; both directions keep
every field, so a plan survives any number of round trips.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from bibliomo.lib.ru import format_academic_year
from bibliomo.plans.responsible import Responsible
from bibliomo.plans.timing import Timing


@dataclass
class Approval:
    """The «УТВЕРЖДАЮ» block in the top right corner."""

    position: str = ""  # «директор МОУ ДПО УМЦ»
    approver: str = ""  # «Г.В. Венкова», in the order it is written
    year: int | None = None  # «2024 г.»
    approved_on: date | None = None  # only when the day is filled in: «"02" сентября 2024 г.»

    @property
    def is_empty(self) -> bool:
        return not (self.position or self.approver or self.year or self.approved_on)


@dataclass
class Activity:
    """One row of the plan table."""

    content: str  # exactly as written, several sentences and « - » lists included
    timing: Timing
    responsible: Responsible
    status_note: str = ""  # the «Отметка о выполнении» column, when the plan has one


@dataclass
class Section:
    """A heading row of the plan table and the activities under it."""

    title: str  # empty for activities that come before the first heading
    activities: list[Activity] = field(default_factory=list)


class Signatory(NamedTuple):
    """A signature under the plan: «Руководитель ММО» — «Никитенко Т.Г.»."""

    role: str
    name: str


@dataclass
class PlanDocument:
    approval: Approval
    title_lines: list[str]  # the centred heading, line by line, year line included
    academic_year_start: int  # 2024 for «2024-2025 учебный год»
    theme: str = ""  # «Методическая тема: …»
    goal: str = ""  # «Цель: …»
    tasks: list[str] = field(default_factory=list)  # «Задачи:», without the «- » markers
    sections: list[Section] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    # Russian sentences about anything a person should check. They describe how the file was
    # read rather than the plan itself, so two equal plans may carry different warnings.
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def activities(self) -> list[Activity]:
        """All activities in plan order, across sections."""
        return [activity for section in self.sections for activity in section.activities]

    @property
    def academic_year_label(self) -> str:
        """«2024/2025»"""
        return format_academic_year(self.academic_year_start)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, e.g. to keep an uploaded plan between preview and import."""
        return {
            "approval": {
                "position": self.approval.position,
                "approver": self.approval.approver,
                "year": self.approval.year,
                "approved_on": _iso(self.approval.approved_on),
            },
            "title_lines": list(self.title_lines),
            "academic_year_start": self.academic_year_start,
            "theme": self.theme,
            "goal": self.goal,
            "tasks": list(self.tasks),
            "sections": [
                {
                    "title": section.title,
                    "activities": [_activity_to_dict(item) for item in section.activities],
                }
                for section in self.sections
            ],
            "signatories": [[signatory.role, signatory.name] for signatory in self.signatories],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanDocument:
        approval = data.get("approval", {})
        approved_on = approval.get("approved_on")
        return cls(
            approval=Approval(
                position=approval.get("position", ""),
                approver=approval.get("approver", ""),
                year=approval.get("year"),
                approved_on=date.fromisoformat(approved_on) if approved_on else None,
            ),
            title_lines=list(data.get("title_lines", [])),
            academic_year_start=int(data["academic_year_start"]),
            theme=data.get("theme", ""),
            goal=data.get("goal", ""),
            tasks=list(data.get("tasks", [])),
            sections=[
                Section(
                    title=section.get("title", ""),
                    activities=[_activity_from_dict(item) for item in section["activities"]],
                )
                for section in data.get("sections", [])
            ],
            signatories=[Signatory(role, name) for role, name in data.get("signatories", [])],
            warnings=list(data.get("warnings", [])),
        )


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _activity_to_dict(activity: Activity) -> dict[str, Any]:
    return {
        "content": activity.content,
        "timing": activity.timing.to_dict(),
        "responsible": activity.responsible.to_dict(),
        "status_note": activity.status_note,
    }


def _activity_from_dict(data: Mapping[str, Any]) -> Activity:
    return Activity(
        content=data["content"],
        timing=Timing.from_dict(data["timing"]),
        responsible=Responsible.from_dict(data["responsible"]),
        status_note=data.get("status_note", ""),
    )
