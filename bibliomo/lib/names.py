"""Russian full names in grammatical cases: «выдан Леонтьевой Эльвире Викторовне».

The declension rules are Petrovich's (the rule set shared by the petrovich libraries). The code
that applies them is ours, because the matcher in Petrovich 2.0.1 gets common names wrong:

- once a gender is given it skips every rule marked "androgynous", so «Ольга» becomes «Ольгы»,
  «Никита» and «Фома» are not declined at all, and «Цой» becomes «Цого»;
- an "unchanged" form ('.') makes it try the next rule instead of stopping, so the male «Черных»
  becomes «Черныха»; in exceptions the dot is pasted into the result: «Нинель.»;
- with no gender it never declines a surname (the parameter's default is the type `str`);
- it compares endings case-sensitively («ИВАНОВ» stays as is) and ignores the rules meant only
  for the first part of a compound surname («Бонч-Бруевич» → «Бончу-Бруевичу»).

No Django here: documents, e-mails and the events app all use these functions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from petrovich.enums import Case as PetrovichCase
from petrovich.main import Petrovich

from bibliomo.lib.ru import full_name, short_name

GrammaticalCase = Literal[
    "nominative", "genitive", "dative", "accusative", "instrumental", "prepositional"
]
Gender = Literal["female", "male"]

_CASE_INDEX: dict[str, int] = {
    "genitive": PetrovichCase.GENITIVE,
    "dative": PetrovichCase.DATIVE,
    "accusative": PetrovichCase.ACCUSATIVE,
    "instrumental": PetrovichCase.INSTRUMENTAL,
    "prepositional": PetrovichCase.PREPOSITIONAL,
}

_FEMALE_PATRONYMIC_ENDINGS = ("вна", "ична", "кызы", "гызы")
_MALE_PATRONYMIC_ENDINGS = ("ич", "оглы", "улы", "уулу")

# Only exceptions to the ending rule below go here: a male name ending in -а/-я, a female name
# ending in a consonant or -ь, a short form worn by both.
_MALE_FIRST_NAMES = frozenset(
    {"никита", "илья", "фома", "кузьма", "лука", "савва", "данила", "гаврила", "иона", "добрыня"}
    | {"игорь", "лазарь"}
)
_FEMALE_FIRST_NAMES = frozenset(
    {"любовь", "нинель", "рашель", "николь", "адель", "ассоль", "юдифь", "эсфирь", "руфь"}
    | {"айгюль", "гузель", "асель"}
)
_UNISEX_FIRST_NAMES = frozenset({"саша", "женя", "валя", "шура", "слава"})
_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")

# Used only when neither the patronymic nor the first name tells: a registered surname usually
# does, but not always (Черных, Никитенко, Ковальчук are worn by both).
_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая")
_MALE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой")


def guess_gender(first_name: str, patronymic: str = "", last_name: str = "") -> Gender | None:
    """The grammatical gender of a person, or None when the name does not tell.

    The patronymic is the surest sign, then the first name, then (if given) the surname.
    """
    for guess in (
        _gender_by_patronymic(patronymic),
        _gender_by_first_name(first_name),
        _gender_by_surname(last_name),
    ):
        if guess is not None:
            return guess
    return None


def full_name_in_case(
    last_name: str,
    first_name: str,
    patronymic: str,
    case: GrammaticalCase,
    gender: Gender | None = None,
) -> str:
    """«Леонтьева Эльвира Викторовна» in `case`: dative → «Леонтьевой Эльвире Викторовне».

    When the gender is not given and cannot be guessed, the name comes back in the nominative:
    a certificate with a wrong ending is worse than one with an undeclined name, and the
    methodist reviews both.
    """
    index = _case_index(case)
    gender = gender or guess_gender(first_name, patronymic, last_name)
    if index is None or gender is None:
        return full_name(last_name, first_name, patronymic)
    return full_name(
        _decline(last_name, "lastname", index, gender),
        _decline(first_name, "firstname", index, gender),
        _decline(patronymic, "middlename", index, gender),
    )


def initials_in_case(
    last_name: str,
    first_name: str,
    patronymic: str,
    case: GrammaticalCase,
    gender: Gender | None = None,
) -> str:
    """«Леонтьевой Э.В.» — the surname declined, the initials as they are."""
    index = _case_index(case)
    gender = gender or guess_gender(first_name, patronymic, last_name)
    if index is not None and gender is not None:
        last_name = _decline(last_name, "lastname", index, gender)
    return short_name(last_name, first_name, patronymic)


def _gender_by_patronymic(patronymic: str) -> Gender | None:
    value = patronymic.strip().lower()
    if value.endswith(_FEMALE_PATRONYMIC_ENDINGS):
        return "female"
    if value.endswith(_MALE_PATRONYMIC_ENDINGS):
        return "male"
    return None


def _gender_by_first_name(first_name: str) -> Gender | None:
    value = first_name.strip().lower().replace("ё", "е")
    if not value or value in _UNISEX_FIRST_NAMES:
        return None
    if value in _MALE_FIRST_NAMES:
        return "male"
    if value in _FEMALE_FIRST_NAMES:
        return "female"
    if value[-1] in "ая":
        return "female"
    if value[-1] in _CONSONANTS:
        return "male"
    # -ь (Игорь but Любовь) and other vowels (Нелли, Марго) tell nothing by themselves.
    return None


def _gender_by_surname(last_name: str) -> Gender | None:
    value = last_name.strip().lower()
    if value.endswith(_FEMALE_SURNAME_ENDINGS):
        return "female"
    if value.endswith(_MALE_SURNAME_ENDINGS):
        return "male"
    return None


def _case_index(case: str) -> int | None:
    """Petrovich's index of `case`; None for the nominative, which needs no work."""
    if case == "nominative":
        return None
    try:
        return _CASE_INDEX[case]
    except KeyError:
        raise ValueError(f"Unknown grammatical case: {case!r}") from None


@cache
def _rules() -> dict[str, Any]:
    # Petrovich reads its JSON rule file on construction; once per process is enough.
    return Petrovich().data


def _decline(value: str, kind: str, case_index: int, gender: Gender) -> str:
    """Decline one part of a name; each word of a compound («Иванова-Петрова») on its own."""
    # The capturing group keeps the separators, so the words sit at even positions.
    pieces = re.split(r"(\s+|-)", value.strip())
    words = pieces[::2]
    compound = len(words) > 1
    declined = [
        _decline_word(word, kind, case_index, gender, first_of_compound=compound and i == 0)
        for i, word in enumerate(words)
    ]
    pieces[::2] = declined
    return "".join(pieces)


def _decline_word(
    word: str, kind: str, case_index: int, gender: Gender, *, first_of_compound: bool
) -> str:
    if not word:
        return word
    rules = _rules()[kind]
    lower = word.lower()
    for rule in rules.get("exceptions", ()):
        if _rule_applies(rule, gender, first_of_compound) and lower in rule["test"]:
            return _apply(word, rule["mods"][case_index])
    for rule in rules["suffixes"]:
        if _rule_applies(rule, gender, first_of_compound) and lower.endswith(tuple(rule["test"])):
            return _apply(word, rule["mods"][case_index])
    # No rule knows this ending (Гарсиа, Дюма): foreign names like these are not declined.
    return word


def _rule_applies(rule: dict[str, Any], gender: Gender, first_of_compound: bool) -> bool:
    if "first_word" in rule.get("tags", ()) and not first_of_compound:
        return False
    return rule["gender"] in ("androgynous", gender)


def _apply(word: str, modifier: str) -> str:
    """Apply a Petrovich modifier: each leading '-' cuts a letter, the rest is appended."""
    if modifier == ".":
        return word
    cut = modifier.count("-")
    ending = modifier.replace("-", "")
    if word.isupper():
        ending = ending.upper()
    return word[: len(word) - cut] + ending


# --- Names typed as one line -----------------------------------------------------------------

_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.\s*){1,2}$")


def split_name(text: str) -> tuple[str, str, str]:
    """(surname, first name, patronymic) of a name typed as one line.

    «Сергеев Алексей Николаевич», «Сергеев А.Н.», «Сергеев А. Н.» and «А.Н. Сергеев» are all
    understood; initials come back as the letters with their full stops («А.», «Н.»).
    """
    words = text.split()
    if not words:
        return "", "", ""
    # «А.Н. Сергеев»: the initials go first.
    if len(words) >= 2 and _INITIALS.match("".join(words[:-1])) and not words[-1].endswith("."):
        return words[-1], *_initial_pair("".join(words[:-1]))
    last, rest = words[0], words[1:]
    if rest and _INITIALS.match("".join(rest)):
        return last, *_initial_pair("".join(rest))
    first = rest[0] if rest else ""
    patronymic = " ".join(rest[1:])
    return last, first, patronymic


def _initial_pair(initials: str) -> tuple[str, str]:
    letters = [f"{part}." for part in initials.replace(" ", "").split(".") if part]
    padded = [*letters, "", ""]
    return padded[0], padded[1]


def _initial(part: str) -> str:
    part = part.strip()
    return f"{part[0]}." if part else ""


def signature_name(text: str) -> str:
    """«И.О. Фамилия», the form a signature is deciphered with (ГОСТ Р 7.0.97-2016, п. 5.23)."""
    last, first, patronymic = split_name(text)
    initials = _initial(first) + _initial(patronymic)
    return f"{initials} {last}".strip()


def short_name_in_case(text: str, case: GrammaticalCase, corrected: str = "") -> str:
    """«Сергеев Алексей Николаевич» in `case` as «Сергеева А.Н.».

    `corrected` is the form a person typed over the automatic one, and it wins: the declension
    rules guess, the person knows.
    """
    if corrected.strip():
        return " ".join(corrected.split())
    last, first, patronymic = split_name(text)
    if not last:
        return ""
    # Initials («А.») tell nothing about the gender; the surname may.
    whole = [part if len(part) > 2 else "" for part in (first, patronymic)]
    gender = guess_gender(whole[0], whole[1], last)
    index = _case_index(case)
    if index is not None and gender is not None:
        last = _decline(last, "lastname", index, gender)
    return f"{last} {_initial(first)}{_initial(patronymic)}".strip()


def full_name_text_in_case(text: str, case: GrammaticalCase, corrected: str = "") -> str:
    """A name typed as one line, declined whole when it is written in full.

    «Сергеев Алексей Николаевич» → «Сергеева Алексея Николаевича»; a name given with initials
    keeps them («Сергеева А.Н.»). A person's correction wins, as in `short_name_in_case`.
    """
    if corrected.strip():
        return " ".join(corrected.split())
    last, first, patronymic = split_name(text)
    if first.endswith(".") or not first:
        return short_name_in_case(text, case)
    return full_name_in_case(last, first, patronymic, case)


# --- Names of organisations ------------------------------------------------------------------

_ADJECTIVE_GENITIVE = (
    ("ое", "ого"),
    ("ый", "ого"),
    ("ой", "ого"),
    ("ий", "его"),  # «средний» → «среднего»; «-кий» is handled below
    ("ая", "ой"),
    ("яя", "ей"),
    ("ее", "его"),
)
_HUSHING = "гкхжшчщ"


def organisation_genitive(name: str, corrected: str = "") -> str:
    """«Муниципальное методическое объединение школьных библиотекарей» → «Муниципального
    методического объединения школьных библиотекарей».

    The adjectives before the head noun and the noun itself are declined; what follows the
    noun (already in the genitive, or a proper name in quotes) stays. A person's correction
    wins, as with people's names.
    """
    if corrected.strip():
        return " ".join(corrected.split())
    words = name.split()
    for index, word in enumerate(words):
        if word.startswith(("«", '"', "„")) or not word[:1].isalpha():
            break
        lower = word.lower()
        adjective = next((pair for pair in _ADJECTIVE_GENITIVE if lower.endswith(pair[0])), None)
        if adjective is not None and len(lower) > 3:
            ending, replacement = adjective
            if ending == "ий" and lower[-3:-2] in "гкх":
                replacement = "ого"  # «русский» → «русского», but «высший» → «высшего»
            words[index] = _with_ending(word, len(ending), replacement)
            continue
        words[index] = _noun_genitive(word)
        break
    return " ".join(words)


def _noun_genitive(word: str) -> str:
    lower = word.lower()
    if word.isupper() and len(word) > 1:
        return word  # an abbreviation: «ММО», «МБОУ»
    if lower.startswith("мин") and lower.endswith(("я", "и", "ы")):
        return word  # «Минпросвещения», «Минобрнауки», «Минкультуры»: already genitive
    if lower.endswith("ие"):
        return _with_ending(word, 1, "я")
    if lower.endswith("ия"):
        return _with_ending(word, 1, "и")
    if lower.endswith("а"):
        return _with_ending(word, 1, "и" if lower[-2:-1] in _HUSHING else "ы")
    if lower.endswith("я"):
        return _with_ending(word, 1, "и")
    if lower.endswith("о"):
        return _with_ending(word, 1, "а")
    if lower.endswith("ь"):
        return _with_ending(word, 1, "я")
    if lower[-1:] in "бвгджзклмнпрстфхцчшщ":
        return word + ("А" if word.isupper() else "а")
    return word


def _with_ending(word: str, cut: int, ending: str) -> str:
    if word.isupper():
        ending = ending.upper()
    return word[: len(word) - cut] + ending
