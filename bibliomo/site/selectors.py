"""What each home page says to do: one small, fixed set of queries per role.

Every list here is cut to a few rows with its full count beside it, so the number of queries
never grows with the data; each item links to the page where the person acts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from bibliomo.consultations.models import Question
from bibliomo.consultations.selectors import overdue_questions
from bibliomo.core.cuts import SHOWN, Cut, cut
from bibliomo.directory.models import Association, Person, School
from bibliomo.events.models import Certificate, Event, Registration
from bibliomo.exchange.models import Order, SchoolOrder
from bibliomo.lib import ru
from bibliomo.mentoring import selectors as mentoring
from bibliomo.mentoring.models import Pair
from bibliomo.plans.facts import year_facts
from bibliomo.plans.models import WorkPlan
from bibliomo.plans.selectors import execution_report, execution_totals, plans_with_content
from bibliomo.textbooks.models import Submission

RECENT_APPROVAL_DAYS = 14
FEEDBACK_DAYS = 30


def plans_in_approval(association: Association, now=None) -> dict[str, list[WorkPlan]]:
    """The association's plans on their way through approval: returned with remarks, waiting
    for the director, approved in the last two weeks (one query)."""
    now = now or timezone.now()
    plans = WorkPlan.objects.filter(association=association).filter(
        Q(status__in=[WorkPlan.Status.RETURNED, WorkPlan.Status.SUBMITTED])
        | Q(
            status=WorkPlan.Status.APPROVED,
            approved_at__gte=now - timedelta(days=RECENT_APPROVAL_DAYS),
        )
    )
    grouped: dict[str, list[WorkPlan]] = {"returned": [], "submitted": [], "approved": []}
    for plan in plans.order_by("-academic_year"):
        grouped[plan.status].append(plan)
    return grouped


def organised_events(person: Person, association: Association, now=None) -> dict[str, Cut]:
    """Events the person organises: upcoming ones, and past ones whose attendance is not
    marked or, for the kinds that give certificates (``Event.CERTIFIED_KINDS``), whose
    attendees have no certificate yet."""
    now = now or timezone.now()
    mine = Event.objects.filter(association=association, organisers=person)
    upcoming = (
        mine.filter(ends_at__gte=now)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status="registered")),
        )
        .order_by("starts_at")
    )
    unmarked = Registration.objects.filter(
        event=OuterRef("pk"),
        status=Registration.Status.REGISTERED,
        attendance=Registration.Attendance.UNKNOWN,
    )
    certificate = Certificate.objects.filter(
        event_id=OuterRef("event_id"), person_id=OuterRef("person_id")
    )
    without_certificate = Registration.objects.filter(
        event=OuterRef("pk"),
        event__kind__in=Event.CERTIFIED_KINDS,
        attendance=Registration.Attendance.ATTENDED,
    ).exclude(Exists(certificate))
    unfinished = (
        mine.filter(ends_at__lt=now, status__in=[Event.Status.ANNOUNCED, Event.Status.HELD])
        .annotate(needs_attendance=Exists(unmarked), needs_certificates=Exists(without_certificate))
        .filter(Q(needs_attendance=True) | Q(needs_certificates=True))
        .order_by("-starts_at")
    )
    return {"upcoming": cut(upcoming), "unfinished": cut(unfinished)}


def reports_to_accept(association: Association) -> Cut:
    """Monitoring reports handed in and waiting for the methodist's decision."""
    return cut(
        Submission.objects.filter(
            campaign__association=association, status=Submission.Status.SUBMITTED
        )
        .select_related("campaign", "school")
        .order_by("submitted_at", "pk")
    )


def mentoring_overdue(association: Association, today=None) -> Cut:
    """Programme steps of working mentoring pairs past their date and not done."""
    return cut(mentoring.overdue_steps(association, today or timezone.localdate()))


def my_mentoring(person: Person) -> list:
    """The person's working mentoring pairs with their unanswered questions and overdue
    steps (one query)."""
    today = timezone.localdate()
    return list(
        mentoring.pairs_with_progress(
            Pair.objects.filter(Q(mentor=person) | Q(mentee=person), status=Pair.Status.ACTIVE),
            today,
        )
        .annotate(
            unanswered=Count(
                "questions", filter=Q(questions__answered_at__isnull=True), distinct=True
            )
        )
        .order_by("starts_on")[:SHOWN]
    )


def school_reports_due(school: School) -> list[Submission]:
    """The school's monitoring reports not yet handed in (not started, filling, returned)."""
    return list(
        Submission.objects.filter(school=school)
        .exclude(status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED])
        .select_related("campaign")
        .order_by("campaign__deadline", "pk")[:SHOWN]
    )


def school_orders_due(school: School) -> list[SchoolOrder]:
    """The school's part of an open textbook order that is still the school's to check."""
    return list(
        SchoolOrder.objects.filter(
            school=school,
            order__status=Order.Status.DRAFT,
            status__in=[SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED],
        )
        .select_related("order")
        .order_by("order__deadline", "pk")[:SHOWN]
    )


def feedback_to_give(person: Person, now=None) -> list[Registration]:
    """Events of the last month the person attended and has not rated yet."""
    now = now or timezone.now()
    return list(
        Registration.objects.filter(
            person=person,
            attendance=Registration.Attendance.ATTENDED,
            feedback__isnull=True,
            event__ends_at__lte=now,
            event__ends_at__gte=now - timedelta(days=FEEDBACK_DAYS),
        )
        .select_related("event")
        .order_by("-event__ends_at")[:SHOWN]
    )


def questions_overdue(association: Association, today=None) -> Cut:
    """Consultation questions with no answer for CONSULTATION_ANSWER_DAYS working days."""
    return cut(overdue_questions(association, today))


def my_answered_questions(person: Person) -> Cut:
    """Her questions that have an answer she has not yet marked as the solution."""
    return cut(
        Question.objects.filter(asker=person, status=Question.Status.ANSWERED).order_by(
            "-first_answer_at", "-pk"
        )
    )


@dataclass
class YearOverview:
    """The current academic year so far: the plan's execution, the events held, the records."""

    year: int
    label: str
    plan: WorkPlan | None = None
    totals: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    events_held: int = 0
    attendances: int = 0
    facts: list = field(default_factory=list)


def year_overview(association: Association, today) -> YearOverview:
    """One fixed set of queries: the plan with its lines, one count of events, the year's
    records (`plans.facts.year_facts`)."""
    year = ru.academic_year_start(today)
    overview = YearOverview(year, ru.format_academic_year(year))
    attended = Q(registrations__attendance=Registration.Attendance.ATTENDED)
    first, last = ru.academic_year_days(year)
    held = Event.objects.filter(
        association=association, status=Event.Status.HELD, starts_at__date__range=(first, last)
    ).aggregate(
        events=Count("pk", distinct=True), attendances=Count("registrations", filter=attended)
    )
    overview.events_held, overview.attendances = held["events"], held["attendances"]
    plan = plans_with_content().filter(association=association, academic_year=year).first()
    if plan is None:
        return overview
    overview.plan = plan
    overview.totals = execution_totals(execution_report(plan, today))
    overview.lines = sum(overview.totals.values())
    overview.facts = year_facts(plan)
    return overview
