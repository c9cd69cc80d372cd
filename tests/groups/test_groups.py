from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bibliomo.events.minutes import meeting_number, minutes_save
from bibliomo.events.models import Event
from bibliomo.groups import selectors, services
from bibliomo.groups.models import WorkingGroup
from tests.factories import docx_text
from tests.groups.builders import make_group

pytestmark = pytest.mark.django_db


def test_manager_creates_a_group_of_several_schools(cast, login):
    client = login(cast.methodist)
    response = client.post(
        reverse("groups:create"),
        {
            "name": "Мы за них в ответе",
            "goal": "Сопровождение молодых специалистов.",
            "head": cast.head.pk,
            "members": [cast.librarian_a.pk, cast.librarian_b.pk],
        },
    )
    group = WorkingGroup.objects.get()
    assert response.status_code == 302
    assert set(group.members.all()) == {cast.head, cast.librarian_a, cast.librarian_b}
    bad = client.post(reverse("groups:create"), {"name": "", "goal": "", "head": ""})
    assert bad.status_code == 200 and WorkingGroup.objects.count() == 1


def test_librarians_do_not_create_groups_and_strangers_do_not_see_them(cast, login):
    group = make_group(cast)
    member = login(cast.librarian_a)
    assert member.get(reverse("groups:create")).status_code == 403
    assert member.get(group.get_absolute_url()).status_code == 200
    stranger = login(cast.librarian_b)
    assert stranger.get(group.get_absolute_url()).status_code == 403
    assert "Мы за них" not in stranger.get(reverse("groups:index")).content.decode()
    assert login(cast.outsider).get(group.get_absolute_url()).status_code == 404


def test_meeting_is_an_event_with_minutes(cast, login):
    group = make_group(cast)
    client = login(cast.head)
    start = timezone.localtime() + timedelta(days=5)
    response = client.post(
        reverse("groups:meeting_add", args=[group.pk]),
        {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "topic": "План года", "address": "ЦДТ"},
    )
    event = group.meetings.get()
    assert response.status_code == 302
    assert event.kind == Event.Kind.GROUP_MEETING and event.status == Event.Status.ANNOUNCED
    minutes = minutes_save(
        cast.head,
        event,
        number="",
        chair="Никитенко Т.Г.",
        secretary="Иванова А.С.",
        invited="",
        items=[{"title": "План", "decided": "Принять"}],
    )
    assert minutes.number == "1"
    assert client.get(reverse("events:minutes", args=[event.pk])).status_code == 200
    # Named once, not «заседание творческой группы «Заседание творческой группы …»»: in the
    # e-mails, the plan's month tables and the analysis.
    assert event.named == "заседание творческой группы «Мы за них в ответе»: План года"
    paper = client.get(reverse("events:minutes_docx", args=[event.pk]))
    text = docx_text(paper.content)
    assert "заседания творческой группы «Мы за них в ответе» Муниципального" in text
    bad = client.post(reverse("groups:meeting_add", args=[group.pk]), {"topic": ""})
    assert bad.status_code == 400


def test_each_group_numbers_its_own_meetings(cast):
    """Two creative groups in one year: each group's minutes count its own meetings."""
    ours = make_group(cast)
    theirs = make_group(cast, name="Читающая школа", members=[cast.librarian_b])
    day = timezone.now() + timedelta(days=3)
    meetings = [
        services.meeting_schedule(
            cast.head, group, starts_at=day + timedelta(days=k), topic=topic, address="ЦДТ"
        )
        for k, (group, topic) in enumerate(
            [(ours, "План"), (theirs, "План"), (ours, "Итоги"), (theirs, "Итоги")]
        )
    ]
    assert [meeting_number(m) for m in meetings] == [1, 1, 2, 2]


def test_scheduling_registers_the_members_each_with_a_letter_naming_the_meeting_once(
    cast, django_capture_on_commit_callbacks
):
    group = make_group(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.meeting_schedule(
            cast.head,
            group,
            starts_at=timezone.now() + timedelta(days=5),
            topic="План года",
            address="ЦДТ",
        )
    members = set(group.members.filter(is_active=True))
    registered = {r.person for r in event.registrations.filter(status="registered")}
    assert registered == members and members
    assert {m.email for m in members} == {a for letter in mail.outbox for a in letter.to}
    body = mail.outbox[0].body
    assert "Заседание творческой группы «Мы за них в ответе»: План года\n" in body
    assert "«Заседание" not in body
    assert any(name.endswith(".ics") for name, *_ in mail.outbox[0].attachments)


def test_tasks_and_products(cast, login):
    group = make_group(cast)
    member = login(cast.librarian_a)
    due = (timezone.localdate() - timedelta(days=1)).isoformat()
    member.post(
        reverse("groups:task_add", args=[group.pk]),
        {"title": "Собрать анкеты", "owner": cast.librarian_a.pk, "due_on": due},
    )
    task = group.tasks.get()
    assert "просрочена" in member.get(group.get_absolute_url()).content.decode()
    member.post(reverse("groups:task_mark", args=[task.pk]), {"done": "1"})
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    bad = member.post(
        reverse("groups:task_add", args=[group.pk]),
        {"title": "x", "owner": cast.librarian_b.pk, "due_on": due},
    )
    assert bad.status_code == 400
    assert member.get(reverse("groups:products", args=[group.pk])).status_code == 403
    head = login(cast.head)
    assert head.post(reverse("groups:products", args=[group.pk]), {}).status_code == 302


def test_index_query_count(cast, login, django_assert_max_num_queries):
    make_group(cast)
    client = login(cast.director)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("groups:index"))
    assert "Мы за них в ответе" in response.content.decode()


def test_groups_are_listed_by_name(cast, login):
    make_group(cast, name="Юные читатели")
    make_group(cast, name="Азбука каталога")
    assert [g.name for g in selectors.visible_groups(cast.methodist, cast.association)] == [
        "Азбука каталога",
        "Юные читатели",
    ]
    body = login(cast.librarian_a).get(reverse("groups:index")).content.decode()
    assert body.index("Азбука каталога") < body.index("Юные читатели")


def test_year_figures(cast):
    group = make_group(cast)
    services.task_add(
        cast.head, group, title="Анкеты", owner=cast.head, due_on=timezone.localdate()
    )
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    figures = selectors.year_figures(cast.association, year)
    row = figures["groups"][0]
    assert row["name"] == "Мы за них в ответе" and row["members"] == 2
    assert row["tasks_open"] == 1 and figures["products"] == 0


def test_group_edit_and_forbidden_writes(cast, login):
    group = make_group(cast)
    url = reverse("groups:edit", args=[group.pk])
    member = login(cast.librarian_a)
    assert member.get(url).status_code == 403
    assert member.post(reverse("groups:meeting_add", args=[group.pk]), {}).status_code == 403
    stranger = login(cast.librarian_b)
    assert stranger.post(reverse("groups:task_add", args=[group.pk]), {}).status_code == 403
    task = services.task_add(
        cast.head, group, title="Анкеты", owner=cast.head, due_on=timezone.localdate()
    )
    assert (
        stranger.post(reverse("groups:task_mark", args=[task.pk]), {"done": "1"}).status_code == 403
    )
    head = login(cast.head)
    data = {
        "name": "Мы за них в ответе",
        "goal": "Новая цель",
        "head": cast.head.pk,
        "members": [cast.librarian_a.pk, cast.librarian_b.pk],
    }
    assert head.post(url, data).status_code == 302
    group.refresh_from_db()
    assert group.goal == "Новая цель" and group.members.count() == 3
    assert head.post(url, {**data, "goal": " "}).status_code == 200


def test_a_meeting_recorded_afterwards_registers_nobody(cast):
    group = make_group(cast)
    event = services.meeting_schedule(
        cast.head, group, starts_at=timezone.now() - timedelta(days=3), topic="Итоги", address="ЦДТ"
    )
    assert event.pk and not event.registrations.exists()
