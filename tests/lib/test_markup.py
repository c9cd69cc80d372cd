import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from bibliomo.lib.markup import ALLOWED_TAGS, plain_text, render_markdown


class _Inspector(HTMLParser):
    """Everything a browser would see in the output: tags, attributes, URLs, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


def assert_safe(output: str) -> None:
    inspector = _Inspector()
    inspector.feed(output)
    inspector.close()
    assert set(inspector.tags) <= ALLOWED_TAGS, inspector.tags
    for tag, name, value in inspector.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
        if name in {"href", "src"}:
            scheme = urlsplit(value.strip()).scheme.lower()
            assert scheme in {"", "http", "https", "mailto"}, value
            assert not value.lower().lstrip().startswith(("javascript", "data", "vbscript"))
    assert "alert" not in "".join(inspector.text), "script content leaked as text"


# --- rendering ------------------------------------------------------------------------------


def test_headings_start_at_h2_because_the_page_has_its_own_h1():
    assert render_markdown("# Итоги года\n\n## Семинары\n\n### Май") == (
        "<h2>Итоги года</h2>\n<h3>Семинары</h3>\n<h4>Май</h4>"
    )


def test_a_post_that_starts_at_level_two_keeps_h2_and_nothing_goes_below_h4():
    assert render_markdown("## Семинары\n\n### Май\n\n###### Деталь") == (
        "<h2>Семинары</h2>\n<h3>Май</h3>\n<h4>Деталь</h4>"
    )


def test_a_post_whose_only_headings_are_small_still_starts_at_h2():
    assert render_markdown("### Семинары\n\n#### Май") == "<h2>Семинары</h2>\n<h3>Май</h3>"


def test_emphasis_links_and_line_breaks():
    source = (
        "**Внимание!** Семинар *переносится*.\n"
        'Подробности — на [сайте УМЦ](https://umc.example.ru/seminar "Семинар").'
    )

    assert render_markdown(source) == (
        "<p><strong>Внимание!</strong> Семинар <em>переносится</em>.<br>\n"
        'Подробности — на <a href="https://umc.example.ru/seminar" title="Семинар" '
        'rel="noopener noreferrer nofollow">сайте УМЦ</a>.</p>'
    )


def test_lists_quotes_code_and_rules():
    source = "1. Первое\n2. Второе\n\n- пункт\n\n> Цитата\n\n---\n\n`код`\n\n    блок кода"

    assert render_markdown(source) == (
        "<ol>\n<li>Первое</li>\n<li>Второе</li>\n</ol>\n<ul>\n<li>пункт</li>\n</ul>\n"
        "<blockquote>\n<p>Цитата</p>\n</blockquote>\n<hr>\n<p><code>код</code></p>\n"
        "<pre><code>блок кода\n</code></pre>"
    )


def test_tables_keep_column_alignment():
    source = "| Класс | Учащихся |\n|:--|--:|\n| 5А | 28 |"

    assert render_markdown(source) == (
        '<table>\n<thead>\n<tr>\n<th align="left">Класс</th>\n<th align="right">Учащихся</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td align="left">5А</td>\n<td align="right">28</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


def test_images_relative_and_absolute():
    source = '![Обложка](/media/portal/cover.png "Сборник") ![Фото](https://umc.example.ru/a.jpg)'

    assert render_markdown(source) == (
        '<p><img alt="Обложка" src="/media/portal/cover.png" title="Сборник"> '
        '<img alt="Фото" src="https://umc.example.ru/a.jpg"></p>'
    )


def test_mail_links_survive_the_obfuscation_markdown_applies():
    output = render_markdown("<metodist@umc.example.ru>")

    assert 'href="mailto:metodist@umc.example.ru"' in output
    assert_safe(output)


def test_harmless_raw_html_is_kept_and_unknown_tags_are_unwrapped():
    output = render_markdown('Текст <strong>важно</strong> <span class="x">обычный</span>')

    assert output == "<p>Текст <strong>важно</strong> обычный</p>"


# --- XSS ------------------------------------------------------------------------------------

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<p style="background:url(javascript:alert(1))">стиль</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<a href="https://ok.example" onclick="alert(1)" onmouseover=alert(1)>x</a>',
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<!--<img src=x onerror=alert(1)>-->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<h1 onclick=alert(1)>Заголовок</h1>",
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_executable_survives(attack):
    output = render_markdown(f"Текст до\n\n{attack}\n\nТекст после")

    assert_safe(output.replace("&lt;script&gt;alert(1)&lt;/script&gt;", ""))
    assert "<script" not in output.lower()


def test_escaped_markup_stays_text():
    output = render_markdown("&lt;script&gt;alert(1)&lt;/script&gt;")

    assert output == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_dangerous_link_keeps_its_text_without_the_url():
    assert render_markdown("[Положение](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer nofollow">Положение</a></p>'
    )


def test_every_link_gets_rel_and_no_other_rel_is_kept():
    output = render_markdown('<a href="https://ok.example" rel="opener" target="_blank">x</a>')

    assert output == '<p><a href="https://ok.example" rel="noopener noreferrer nofollow">x</a></p>'


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_drops_markup_and_keeps_words_apart():
    source = (
        "# Итоги семинара\n\n"
        "Семинар **«Алгоритм заказа учебников»** прошёл [в УМЦ](https://umc.example.ru).\n\n"
        "- пункт один\n- пункт два\n\n![схема](/media/a.png)\n\n| А | Б |\n|---|---|\n| 1 | 2 |"
    )

    assert plain_text(source) == (
        "Итоги семинара Семинар «Алгоритм заказа учебников» прошёл в УМЦ. "
        "пункт один пункт два А Б 1 2"
    )


def test_plain_text_unescapes_entities_and_drops_scripts():
    source = "Школы &amp; библиотеки <script>alert(1)</script> &lt;b&gt;"

    assert plain_text(source) == "Школы & библиотеки <b>"


def test_plain_text_is_trimmed_at_a_word_boundary():
    source = "Приглашаем педагогов-библиотекарей на семинар, посвящённый наставничеству."

    assert plain_text(source, limit=40) == "Приглашаем педагогов-библиотекарей на…"
    assert len(plain_text(source, limit=40)) <= 40


def test_plain_text_cut_right_after_a_word_keeps_that_word():
    assert plain_text("Семинар для молодых специалистов", limit=12) == "Семинар для…"


def test_plain_text_within_the_limit_is_untouched():
    assert plain_text("Короткий анонс.", limit=100) == "Короткий анонс."


def test_plain_text_of_a_single_long_word_is_cut_inside_it():
    assert plain_text("Д" * 50, limit=10) == "Д" * 9 + "…"


def test_plain_text_result_is_plain_not_html():
    text = plain_text("Цитата: <b>жирный</b> & «кавычки»")

    assert text == "Цитата: жирный & «кавычки»"
    assert html.escape(text) != text  # callers must escape it like any other text
