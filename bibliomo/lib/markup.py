"""Post bodies written by staff in Markdown, rendered to safe HTML and to plain text.

Staff write announcements, materials and news for the public portal. Markdown gives them
headings, lists, links, images and tables without a rich-text editor; whatever else they
paste — raw HTML from a website, a script, a «javascript:» link — is removed by a sanitiser
with an explicit list of what may stay, because these pages are read by the public and by
the staff who hold every permission in the system.
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from bibliomo.lib import ru

ALLOWED_TAGS = frozenset(
    {"h2", "h3", "h4", "p", "br", "hr", "blockquote", "pre", "code"}
    | {"ul", "ol", "li", "strong", "em", "a", "img"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative URLs
LINK_REL = "noopener noreferrer nofollow"
_ALIGNMENTS = {"left", "center", "right"}

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # Removed with their content: the text of a script or a style sheet is no prose.
    clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math"}
    | {"template", "noscript", "textarea", "select", "title"},
    attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
    tag_attribute_values={"th": {"align": _ALIGNMENTS}, "td": {"align": _ALIGNMENTS}},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


# --- HTML -----------------------------------------------------------------------------------


def render_markdown(source: str) -> str:
    """Markdown → sanitised HTML for a post body.

    A single line break is kept as <br> (people type addresses and lists of names line by
    line), and the post's top heading level becomes <h2>, because the page has its own <h1>.
    """
    html = markdown.markdown(
        source,
        extensions=[
            TableExtension(use_align_attribute=True),  # style="" would be stripped
            "nl2br",
            "sane_lists",
            _HeadingLevelsExtension(),
        ],
        output_format="html",
    )
    return _CLEANER.clean(html)


_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
_TOP_LEVEL = 2
_DEEPEST_LEVEL = 4


class _HeadingLevels(Treeprocessor):
    """Shift headings so the highest one used is <h2>, keeping their order, at most <h4>.

    «# Итоги» and «## Итоги» both become <h2> when each is the post's top heading, so a post
    is structured the same whichever way its author is used to writing.
    """

    def run(self, root: Element) -> None:
        headings = [element for element in root.iter() if element.tag in _HEADING_TAGS]
        if not headings:
            return
        shift = _TOP_LEVEL - min(_HEADING_TAGS[element.tag] for element in headings)
        for element in headings:
            element.tag = f"h{min(_HEADING_TAGS[element.tag] + shift, _DEEPEST_LEVEL)}"


class _HeadingLevelsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 5)


# --- plain text -----------------------------------------------------------------------------


def plain_text(source: str, limit: int | None = None) -> str:
    """The post's words without markup, on one line: for a lead, an RSS item, Open Graph.

    With `limit`, at most that many characters, cut at a word boundary and ended with «…».
    """
    collector = _TextCollector()
    collector.feed(render_markdown(source))  # the sanitiser has already dropped scripts
    collector.close()
    text = " ".join("".join(collector.parts).split())
    return text if limit is None else ru.shortened(text, limit)


# Tags whose boundaries separate words: «<li>один</li><li>два</li>» is «один два».
_BLOCK_TAGS = frozenset(
    {"p", "br", "hr", "li", "h2", "h3", "h4", "blockquote", "pre", "tr", "th", "td"}
)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
