"""Anonymising a person erases her name from contest entries and contest diplomas; her copy of
«всё обо мне» holds the entries naming her and the diplomas made out to her."""

import json

import pytest
from django.urls import reverse

from bibliomo.contests.models import Award, Juror
from bibliomo.privacy import services
from tests.contests.builders import open_contest, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_of_a(cast):
    """Librarian A's own entry, a team entry of school B naming her, a diploma, a certificate
    of the team and her juror's certificate."""
    contest = open_contest(cast)
    a, b = cast.librarian_a, cast.librarian_b
    own = submit(contest, a, title="Урок Ивановой")
    team = submit(contest, b, title="Урок двух школ", authors=f"{b.full_name}, {a.short_name}")
    juror = Juror.objects.create(contest=contest, person=a)
    made = {"contest": contest, "issued_by": cast.methodist}
    Award.objects.create(
        number="К-1", kind="winner", entry=own, recipient_full_name=a.full_name,
        recipient_dative="Ивановой Анне Сергеевне", **made,
    )  # fmt: skip
    Award.objects.create(
        number="К-2", kind="participant", entry=team, recipient_full_name=team.authors,
        recipient_dative=team.authors, **made,
    )  # fmt: skip
    Award.objects.create(
        number="К-3", kind="juror", juror=juror, recipient_full_name=a.full_name,
        recipient_dative="Ивановой Анне Сергеевне", **made,
    )  # fmt: skip
    return contest


def test_my_data_holds_her_contest_entries_and_diplomas(cast, login, contest_of_a):
    response = login(cast.librarian_a).get(reverse("privacy:my_data_json"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    data = json.loads(raw)
    titles = [section["title"] for section in data["sections"]]
    assert "Конкурсные работы, где вы — автор" in titles
    assert "Дипломы и сертификаты конкурсов" in titles
    text = json.dumps(data, ensure_ascii=False)
    assert "Урок двух школ" in text and "Урок Ивановой" in text
    assert all(number in text for number in ("К-1", "К-2", "К-3"))
    docx = login(cast.librarian_a).get(reverse("privacy:my_data_docx"))
    assert docx.status_code == 200


def test_anonymising_erases_her_name_from_entries_and_awards(cast, contest_of_a):
    a, b = cast.librarian_a, cast.librarian_b
    short, full = a.short_name, a.full_name
    services.person_anonymise(cast.methodist, a)
    label = f"Участник № {a.pk}"
    entries = {e.title: e.authors for e in contest_of_a.entries.all()}
    assert entries["Урок Ивановой"] == label
    assert entries["Урок двух школ"] == f"{b.full_name}, {label}"  # her teammate stays
    awards = {award.number: award for award in contest_of_a.awards.all()}
    assert awards["К-1"].recipient_full_name == awards["К-1"].recipient_dative == ""
    assert awards["К-3"].recipient_full_name == awards["К-3"].recipient_dative == ""
    assert awards["К-2"].recipient_full_name == f"{b.full_name}, {label}"
    for award in awards.values():
        assert full not in award.recipient_full_name and short not in award.recipient_dative
    assert contest_of_a.entries.count() == 2 and len(awards) == 3  # the results stay
