"""Every write of mentoring: the template, pairs and their programme, log, questions, results."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.events.models import Event
from bibliomo.mentoring.models import Meeting, Pair, ProgrammeTemplate, Question, Step, Survey

DEFAULT_GOALS = (
    "Помочь молодому специалисту освоить работу школьной библиотеки: учёт фонда и учебников, "
    "работу с читателями, документы библиотеки; включить его в работу объединения."
)
DEFAULT_STEPS = "\n".join(
    [
        "Знакомство: паспорт библиотеки, локальные акты, план работы школы",
        "Учёт фонда: книга суммарного учёта, инвентарная книга, приём и списание",
        "Учебный фонд: мониторинг обеспеченности, ФПУ, заказ учебников",
        "Работа с читателями: формуляры, массовое мероприятие, книжная выставка",
        "Открытое мероприятие молодого специалиста с разбором",
        "Участие в семинаре для молодых специалистов и ярмарке идей",
        "Итоги: отчёт пары и анкеты",
    ]
)


def template_of(association: Association) -> ProgrammeTemplate:
    """The association's template; an association that has none gets the default one."""
    template, _ = ProgrammeTemplate.objects.get_or_create(
        association=association, defaults={"goals": DEFAULT_GOALS, "steps": DEFAULT_STEPS}
    )
    return template


@transaction.atomic
def template_update(
    actor: Person, association: Association, *, goals: str, steps: str
) -> ProgrammeTemplate:
    template = template_of(association)
    template.goals, template.steps = goals.strip(), steps.strip()
    if not template.goals:
        raise DomainError("Напишите цели программы.", field="goals")
    if not template.step_lines:
        raise DomainError("Добавьте хотя бы один шаг.", field="steps")
    template.save()
    audit.record(actor, template, AuditEntry.Action.UPDATED)
    return template


def _step_dates(starts_on: date, ends_on: date, count: int) -> list[date]:
    """Steps spread evenly over the period, the last one on its final day."""
    span = (ends_on - starts_on).days
    return [starts_on + timedelta(days=round(span * (i + 1) / count)) for i in range(count)]


@transaction.atomic
def pair_create(
    actor: Person,
    association: Association,
    *,
    mentor: Person,
    mentee: Person,
    starts_on: date,
    ends_on: date,
    seminar: Event | None = None,
) -> Pair:
    """The methodist pairs a mentor with an early-career librarian; the programme (goals,
    steps with dates) is made from the association's template and can be edited after."""
    if mentor.pk == mentee.pk:
        raise DomainError("Наставник и молодой специалист — разные люди.", field="mentee")
    for person, field in ((mentor, "mentor"), (mentee, "mentee")):
        if association.pk not in person.grants or not person.is_active:
            raise DomainError("Выберите участника объединения.", field=field)
    if ends_on <= starts_on:
        raise DomainError("Окончание должно быть позже начала.", field="ends_on")
    if seminar is not None and seminar.association_id != association.pk:
        raise DomainError("Выберите мероприятие этого объединения.", field="seminar")
    if Pair.objects.filter(mentee=mentee, status=Pair.Status.ACTIVE).exists():
        raise DomainError("У этого молодого специалиста уже есть наставник.", field="mentee")
    template = template_of(association)
    pair = Pair.objects.create(
        association=association,
        mentor=mentor,
        mentee=mentee,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=template.goals,
        seminar=seminar,
    )
    lines = template.step_lines
    Step.objects.bulk_create(
        Step(pair=pair, position=n, title=title[:500], due_on=due)
        for n, (title, due) in enumerate(
            zip(lines, _step_dates(starts_on, ends_on, len(lines)), strict=True), start=1
        )
    )
    audit.record(actor, pair, AuditEntry.Action.CREATED)
    return pair


@transaction.atomic
def programme_update(
    actor: Person,
    pair: Pair,
    *,
    goals: str,
    steps: list[tuple[date, str]],
    seminar: Event | None = None,
) -> Pair:
    """The pair's own goals, steps with dates and seminar; a step keeps its done mark while
    its wording stays the same."""
    goals = goals.strip()
    if not goals:
        raise DomainError("Напишите цели.", field="goals")
    if not steps:
        raise DomainError("Оставьте хотя бы один шаг.", field="steps")
    if seminar is not None and seminar.association_id != pair.association_id:
        raise DomainError("Выберите мероприятие этого объединения.", field="seminar")
    done = dict(pair.steps.values_list("title", "done_on"))
    pair.steps.all().delete()
    Step.objects.bulk_create(
        Step(pair=pair, position=n, title=title[:500], due_on=due, done_on=done.get(title[:500]))
        for n, (due, title) in enumerate(sorted(steps, key=lambda step: step[0]), start=1)
    )
    pair.goals, pair.seminar = goals, seminar
    pair.save(update_fields=["goals", "seminar"])
    audit.record(actor, pair, AuditEntry.Action.UPDATED, comment="Изменена программа")
    return pair


@transaction.atomic
def step_mark(actor: Person, step: Step, *, done: bool) -> Step:
    step.done_on = timezone.localdate() if done else None
    step.save(update_fields=["done_on"])
    verb = "выполнен" if done else "снова не выполнен"
    audit.record(actor, step.pair, AuditEntry.Action.UPDATED, comment=f"Шаг {step.position} {verb}")
    return step


@transaction.atomic
def meeting_add(actor: Person, pair: Pair, *, held_on: date, topic: str, agreed: str) -> Meeting:
    if held_on > timezone.localdate():
        raise DomainError("Записывают встречу, которая уже прошла.", field="held_on")
    if not topic.strip():
        raise DomainError("Напишите тему встречи.", field="topic")
    if not agreed.strip():
        raise DomainError("Напишите, о чём договорились.", field="agreed")
    return Meeting.objects.create(
        pair=pair, held_on=held_on, topic=topic.strip(), agreed=agreed.strip(), written_by=actor
    )


@transaction.atomic
def question_ask(actor: Person, pair: Pair, *, text: str) -> Question:
    if actor.pk != pair.mentee_id:
        raise DomainError("Вопрос наставнику задаёт молодой специалист пары.")
    if not text.strip():
        raise DomainError("Напишите вопрос.", field="text")
    question = Question.objects.create(pair=pair, text=text.strip())
    _question_letter(pair, question)
    return question


def _question_letter(pair: Pair, question: Question) -> None:
    """The mentor learns of her mentee's question by e-mail, with a link to the pair."""
    mentor = pair.mentor
    if not mentor.is_active or mentor.anonymised_at:
        return
    letter_send(
        "mentoring/question",
        [mentor.email],
        {"question": question, "mentee": pair.mentee, "url": pair.get_absolute_url()},
    )


@transaction.atomic
def question_answer(actor: Person, question: Question, *, answer: str) -> Question:
    if not answer.strip():
        raise DomainError("Напишите ответ.", field="answer")
    question.answer = answer.strip()
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    return question


@transaction.atomic
def pair_finish(actor: Person, pair: Pair, *, report: str) -> Pair:
    if pair.status == Pair.Status.FINISHED:
        raise DomainError("Работа пары уже завершена.")
    if not report.strip():
        raise DomainError("Напишите итоговый отчёт.", field="report")
    pair.final_report = report.strip()
    pair.status = Pair.Status.FINISHED
    pair.finished_on = timezone.localdate()
    pair.save(update_fields=["final_report", "status", "finished_on"])
    audit.record(actor, pair, AuditEntry.Action.UPDATED, comment="Работа пары завершена")
    return pair


@transaction.atomic
def survey_submit(
    actor: Person, pair: Pair, *, rating: int, achieved: str, next_time: str = ""
) -> Survey:
    side = pair.side_of(actor)
    if not side:
        raise DomainError("Анкету заполняют наставник и молодой специалист пары.")
    if pair.status != Pair.Status.FINISHED:
        raise DomainError("Анкету заполняют, когда работа пары завершена.")
    if not 1 <= rating <= 5:
        raise DomainError("Оценка — от 1 до 5.", field="rating")
    if not achieved.strip():
        raise DomainError("Напишите, что получилось.", field="achieved")
    try:
        with transaction.atomic():
            return Survey.objects.create(
                pair=pair,
                side=side,
                rating=rating,
                achieved=achieved.strip(),
                next_time=next_time.strip(),
            )
    except IntegrityError:
        raise DomainError("Вы уже заполнили анкету.") from None
