"""The «Ответственный» column of a work plan: who answers for an activity.

A cell such as «Методист, руководитель ММО, члены ММО» names roles rather than people; some
plans name people as well («Леонтьева Э.В.»). Both are recognised; anything else is kept in the
text and flagged, so that a person decides what it means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Role codes, in the order they are listed to people.
ROLE_LABELS: dict[str, str] = {
    "methodist": "Методист",
    "head": "Руководитель ММО",
    "members": "Члены ММО",
    "director": "Директор",
}

_ORGANISATION = r"(?:\s+[А-ЯЁA-Z]{2,}(?:\s*№\s*\d+)?)"  # «МОУ ДПО УМЦ», «СОШ № 5»
_ASSOCIATION = r"(?:ммо|мо|(?:городского\s+)?методического\s+объединения)"
_ROLE_PATTERNS: dict[str, re.Pattern[str]] = {
    code: re.compile(pattern)
    for code, pattern in {
        # «Методист», «методисты», «Методист-куратор», «методист УМЦ».
        "methodist": rf"(?i:(?:ведущий\s+|старший\s+)?методист(?:ы)?(?:-куратор)?){_ORGANISATION}*",
        # A bare «руководитель» in this association's plan can only be its head; «руководитель
        # ОО» (a school head) is somebody else and is therefore not matched.
        "head": rf"(?i:руководител[ьи](?:\s+{_ASSOCIATION})?)",
        "members": (
            rf"(?i:(?:члены|участники)\s+{_ASSOCIATION}"
            r"|(?:все\s+)?(?:школьные\s+)?(?:педагоги-)?библиотекари(?:\s+оо)?)"
        ),
        "director": rf"(?i:директор){_ORGANISATION}*",
    }.items()
}

_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
# «Леонтьева Э.В.», «Леонтьева Э. В.», «Г.В. Венкова», «Г.В.Венкова».
PERSON_PATTERN = re.compile(
    rf"(?<![А-ЯЁа-яё])(?:{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME}(?![а-яё]))"
)
_PART_SEPARATORS = re.compile(r"[,;\n/]|\s+и\s+")
_HYPHEN = re.compile(r"(?<=[^\W\d_])\s*[-‐‑–—]\s*(?=[^\W\d_])")


@dataclass
class Responsible:
    """A parsed «Ответственный» cell. `text` is always the original wording."""

    text: str
    roles: frozenset[str] = frozenset()
    people: list[str] = field(default_factory=list)  # as written, e.g. «Леонтьева Э.В.»
    flagged: bool = False
    flag_reason: str = ""

    @property
    def ordered_roles(self) -> list[str]:
        return [code for code in ROLE_LABELS if code in self.roles]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "roles": self.ordered_roles,
            "people": list(self.people),
            "flagged": self.flagged,
            "flag_reason": self.flag_reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Responsible:
        return cls(
            text=data.get("text", ""),
            roles=frozenset(data.get("roles", [])),
            people=list(data.get("people", [])),
            flagged=bool(data.get("flagged", False)),
            flag_reason=data.get("flag_reason", ""),
        )


def parse_responsible(text: str) -> Responsible:
    """Understand a «Ответственный» cell: «Методист, руководитель ММО, члены ММО»."""
    original = text.strip()
    if not original:
        return Responsible(text="", flagged=True, flag_reason="Ответственный не указан.")
    roles: set[str] = set()
    people: list[str] = []
    unknown: list[str] = []
    for part in filter(None, (part.strip() for part in _PART_SEPARATORS.split(original))):
        names, rest = _take_people(part)
        people += [name for name in names if name not in people]
        if not rest:
            continue
        role = role_of(rest)
        if role is None:
            unknown.append(part)
        else:
            roles.add(role)
    reason = ""
    if unknown:
        reason = f"Не удалось распознать ответственного: {', '.join(f'«{u}»' for u in unknown)}."
    return Responsible(
        text=original,
        roles=frozenset(roles),
        people=people,
        flagged=bool(unknown),
        flag_reason=reason,
    )


def role_of(text: str) -> str | None:
    """The role code a phrase such as «Методист-куратор» stands for, if it is one we know."""
    phrase = " ".join(_HYPHEN.sub("-", text).split()).strip(" .:()")
    return next((code for code, rx in _ROLE_PATTERNS.items() if rx.fullmatch(phrase)), None)


def is_person_name(text: str) -> bool:
    """True for «Никитенко Т.Г.» or «Г.В. Венкова» standing on its own."""
    return PERSON_PATTERN.fullmatch(text.strip()) is not None


def normalise_name(text: str) -> str:
    """«Леонтьева  Э. В.» → «Леонтьева Э.В.»; «Г.В.Венкова» → «Г.В. Венкова»; order is kept."""
    name = re.sub(r"([А-ЯЁ]\.)\s+(?=[А-ЯЁ]\.)", r"\1", text.strip())
    name = re.sub(r"([А-ЯЁ]\.)(?=[А-ЯЁ][а-яё])", r"\1 ", name)
    return " ".join(name.split())


def normalise_role(text: str) -> str:
    """«Методист- куратор» → «Методист-куратор»: a compound title is written with a hyphen."""
    return " ".join(_HYPHEN.sub("-", text).split())


def _take_people(part: str) -> tuple[list[str], str]:
    """Split «Методист Леонтьева Э.В.» into the names it contains and what is left of it."""
    names = [normalise_name(match.group(0)) for match in PERSON_PATTERN.finditer(part)]
    rest = PERSON_PATTERN.sub(" ", part)
    return names, " ".join(rest.split()).strip(" .:()-–—")
