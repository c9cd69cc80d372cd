"""The protocol and the note follow the paper rules of the house."""

from bibliomo.contests import papers, services
from bibliomo.contests.models import Sheet
from tests.contests.builders import open_contest, score, submit
from tests.lib.paper_rules import assert_clean_text, assert_paper_layout, docx_all_text


def test_protocol_and_note_follow_the_paper_rules(cast):
    contest = open_contest(cast, title="Урок «Книга и я»")
    entry = submit(contest, cast.librarian_a, title="Читаем «Капитанскую дочку»")
    services.juror_add(cast.methodist, contest, cast.head, is_chair=True)
    services.juror_add(cast.methodist, contest, cast.director)
    services.sheets_assign(cast.methodist, contest)
    for sheet in Sheet.objects.filter(entry=entry):
        score(sheet.juror.person, sheet, [8, 4, 2])
    services.conclusions_save(cast.methodist, contest, "Оформление отстаёт от содержания.")
    protocol = papers.protocol_docx(contest)
    assert_paper_layout(protocol, tables_with_header=1)
    text = docx_all_text(protocol)
    assert_clean_text(text)
    assert "Т.Г. Никитенко" in text and "Председатель жюри" in text
    assert "21,00" in text  # 8·2 + 4·1 + 2·0,5
    note = papers.note_docx(contest)
    assert_paper_layout(note, min_headers=1)
    note_text = docx_all_text(note)
    assert_clean_text(note_text)
    assert "Оформление отстаёт от содержания." in note_text
