"""Searching Russian text by word stems, so that «учебника» finds «учебники».

This is the SQLite fallback of the document search; PostgreSQL stems with its own 'russian'
text search configuration. A document's text is turned into `search_document(text)` — its
distinct stems between spaces, «␣учебник␣приказ␣858␣» — and stored in a column; a query
matches when every one of its `query_terms(query)` is found as `LIKE '% term %'`.

Tokens. A token is a run of letters and digits; «ё» is «е», case and stress marks do not
count. Numbers are words too, so «№ 858» is found by «858». A number written with dots — a
date «21.09.2022», a federal list code «1.1.1.2.1.3.61» — is one token and also gives its
parts, so the date is found both whole and by «2022»; digits glued to letters («2022г»,
«5А») likewise give the number and the letters apart. Hyphens and slashes separate words:
«учебно-методический» is found by «методический», «2024/2025» by «2025».

Stems come from the Snowball stemmers: Russian for words with Cyrillic letters, English for
Latin ones. Words with digits are kept as they are: a stemmer would make «5а» of «5».
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer

from bibliomo.lib import ru

# Words in nearly every document, which tell none apart.
STOP_WORDS = frozenset(
    {"и", "или", "а", "не"}  # conjunctions and the particle «не»
    | {"в", "во", "на", "с", "о", "об", "по", "к", "для", "от", "до", "из", "за"}  # prepositions
)

# Letters, digits and combining marks (stress «а́», a decomposed «й»), and a dot between digits.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f]|(?<=\d)\.(?=\d))+")
_PIECE = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+")  # a number (dotted or not) or a run of letters
_MARKS = re.compile(r"[\u0300-\u036f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
# Latin letters that look Cyrillic: «учeбник» typed with a Latin «e» is still «учебник», and
# the class «5A» typed with a Latin «A» is «5А».
_LOOKALIKES = str.maketrans("aceopxyk", "асеорхук")
_CLASS = re.compile(r"\d{1,2}[aceopxyk]{1,2}")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")


# --- tokens and stems -----------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """The words of `text` in order, normalised; compound numbers followed by their parts."""
    result: list[str] = []
    for match in _TOKEN.finditer(text):
        word = normalise(match.group())
        if word:
            result.append(word)
            result += _parts(word)
    return result


def normalise(word: str) -> str:
    """«Ёлка» → «елка», «учи́тель» → «учитель»."""
    word = _MARKS.sub("", unicodedata.normalize("NFC", word)).casefold().replace("ё", "е")
    if (_CYRILLIC.search(word) and _LATIN.search(word)) or _CLASS.fullmatch(word):
        word = word.translate(_LOOKALIKES)
    return word


def _parts(word: str) -> list[str]:
    """«21.09.2022г» → «21.09.2022», «21», «09», «2022», «г»; a plain word has none."""
    parts: list[str] = []
    for piece in _PIECE.findall(word):
        if piece != word:
            parts.append(piece)
        if "." in piece:
            parts += piece.split(".")
    return parts


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...


_stemmers = threading.local()  # a Snowball stemmer keeps state while it stems a word


def _stemmer(language: str) -> _Stemmer:
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer(language)
        setattr(_stemmers, language, stemmer)
    return stemmer


def stem(word: str) -> str:
    """«Учебникам» → «учебник», «libraries» → «librari», «858» → «858»."""
    return _stem(normalise(word))


# A text repeats its words, and the Snowball stemmers are plain Python: stem each word once.
@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    if any(char.isdigit() for char in word):
        return word
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if word.isascii():
        return _stemmer("english").stemWord(word)
    return word


def stems(text: str) -> list[str]:
    return [_stem(token) for token in tokens(text)]


def _searchable(token: str) -> bool:
    return token not in STOP_WORDS and (len(token) > 1 or token.isdigit())


def _term_stems(text: str) -> list[str]:
    """Distinct stems of the searchable tokens, in order of first appearance."""
    return list(dict.fromkeys(_stem(token) for token in tokens(text) if _searchable(token)))


def search_document(text: str) -> str:
    """« учебник приказ 858 »: the distinct stems, each between spaces, for LIKE '% stem %'.

    Stop words and one-letter words are left out, as they are from queries. "" for a text
    without words.
    """
    terms = _term_stems(text)
    return f" {' '.join(terms)} " if terms else ""


def query_terms(query: str) -> list[str]:
    """The stems a document must contain to match `query`; [] when nothing is searchable."""
    return _term_stems(query)


def relevance(terms: list[str], title: str, summary: str = "", text: str = "") -> int:
    """How well a matching text fits the query's stems: every occurrence counts, one in the
    title 3 times, in the summary or the body once (the body's count capped at 20 so that a
    long text does not outweigh a title)."""
    wanted = set(terms)

    def count(part: str) -> int:
        return sum(_stem(token) in wanted for token in tokens(part or ""))

    return 3 * count(title) + count(summary) + min(20, count(text))


# --- highlighting ---------------------------------------------------------------------------

MAX_MATCHES = 200  # enough to choose a fragment; a long text is not scanned to its end


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    terms: frozenset[str]


def highlight(text: str, query: str, *, width: int = 160) -> str:
    """A fragment of `text` around the query's words, HTML-escaped, the words in <mark>.

    The fragment reaches `width` characters either side of the first place where the most
    distinct query terms are found together; «…» marks where it is cut. A word matches when
    its stem is a query term, so «учебника» marks «учебники». With no match, the beginning
    of the text.
    """
    terms = frozenset(query_terms(query))
    matches = _matches(text, terms, 0, len(text), MAX_MATCHES) if terms else []
    if not matches:
        start, end = 0, _word_end(text, min(len(text), 2 * width))
        return _render(text, start, end, [])
    anchor = _best_anchor(matches, width)
    start = _word_start(text, max(0, anchor.start - width))
    end = _word_end(text, min(len(text), anchor.end + width))
    return _render(text, start, end, _matches(text, terms, start, end, None))


def _matches(
    text: str, terms: frozenset[str], start: int, end: int, limit: int | None
) -> list[_Match]:
    """Words of text[start:end] whose stems (or whose parts' stems) are query terms.

    A regular expression finds the places where a word begins with a term's prefix — the
    Snowball stemmers only cut endings — so that Python looks only at likely words.
    """
    found: list[_Match] = []
    for candidate in _candidates(terms).finditer(text, start, end):
        token = _token_at(text, candidate.start())
        if token is None or token.start() < start or token.end() > end:
            continue  # a word cut by the fragment's edge is not marked
        word = normalise(token.group())
        matched = terms.intersection(_stem(part) for part in [word, *_parts(word)])
        if matched and (not found or found[-1].start != token.start()):
            found.append(_Match(token.start(), token.end(), frozenset(matched)))
            if limit is not None and len(found) >= limit:
                break
    return found


@lru_cache(maxsize=256)
def _candidates(terms: frozenset[str]) -> re.Pattern[str]:
    prefixes = sorted({_prefix(term) for term in terms}, key=len, reverse=True)
    alternatives = "|".join(re.escape(prefix).replace("е", "[её]") for prefix in prefixes)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE)


def _prefix(term: str) -> str:
    # The English stemmer also rewrites endings («library» → «librari»), so only the start of
    # a Latin stem is sure to begin the word.
    return term[: max(2, len(term) - 3)] if _LATIN.search(term) else term


def _token_at(text: str, position: int) -> re.Match[str] | None:
    """The token that contains `position`: a candidate may start inside «21.09.2022»."""
    start = position
    while start > 0 and _continues_token(text, start - 1):
        start -= 1
    return _TOKEN.match(text, start)


def _continues_token(text: str, index: int) -> bool:
    char = text[index]
    if char == ".":
        return 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()
    return char.isalnum() or bool(_MARKS.match(char))


def _best_anchor(matches: list[_Match], width: int) -> _Match:
    """The first match around which the most distinct terms are found within `width`."""
    starts = [match.start for match in matches]
    best, best_count = matches[0], 0
    for match in matches:
        first = bisect_left(starts, match.start - width)
        last = bisect_right(starts, match.end + width)
        count = len(frozenset().union(*(other.terms for other in matches[first:last])))
        if count > best_count:
            best, best_count = match, count
    return best


def _word_start(text: str, position: int) -> int:
    """Move a cut forward past a partial word, unless the word is absurdly long."""
    if position == 0 or not (text[position - 1].isalnum() and text[position].isalnum()):
        return position
    space = _SPACE.search(text, position, position + 30)
    return space.end() if space else position


def _word_end(text: str, position: int) -> int:
    """Move a cut back before a partial word, unless the word is absurdly long."""
    if position >= len(text) or not (text[position - 1].isalnum() and text[position].isalnum()):
        return position
    for index in range(position - 1, max(0, position - 30), -1):
        if text[index].isspace():
            return index
    return position


def _render(text: str, start: int, end: int, matches: list[_Match]) -> str:
    pieces: list[str] = []
    position = start
    for match in matches:
        pieces.append(_escaped(text[position : match.start]))
        pieces.append(f"<mark>{_escaped(text[match.start : match.end])}</mark>")
        position = match.end
    pieces.append(_escaped(text[position:end]))
    fragment = "".join(pieces).strip()
    if start > 0:
        fragment = "…" + fragment
    if end < len(text):
        # «Конец…», not «Конец.…»; a quote the cut left open is closed: «Ярмарка…»
        fragment = fragment.rstrip(".,;:") + "…" + ru.quotes_left_open(text[start:end])
    return fragment


def _escaped(text: str) -> str:
    return html.escape(_SPACES.sub(" ", text))
