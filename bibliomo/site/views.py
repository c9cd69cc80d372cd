"""The home page: what each role has to do, every item a link to where it is done."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from bibliomo.contests import selectors as contest_selectors
from bibliomo.core.models import Job
from bibliomo.directory import selectors
from bibliomo.directory.access import current_association
from bibliomo.directory.models import Role, School
from bibliomo.events.models import Registration
from bibliomo.exchange import selectors as exchange_selectors
from bibliomo.plans.models import WorkPlan
from bibliomo.plans.selectors import due_activities
from bibliomo.privacy import views as privacy_views
from bibliomo.reviews import selectors as review_selectors
from bibliomo.site import selectors as todo


@login_required
def home(request):
    association = current_association(request)
    roles = request.user.roles_in(association.pk if association else None)
    context = {
        "roles": roles,
        "is_manager": bool(roles & {Role.METHODIST, Role.HEAD}),
        "is_director": Role.DIRECTOR in roles,
        "is_librarian": Role.LIBRARIAN in roles,
        "is_methodist": Role.METHODIST in roles,
        "today": timezone.localdate(),
    }
    if association is not None:
        context["school_count"] = School.objects.filter(association=association).count()
        context["member_count"] = (
            selectors.association_members(association).filter(is_active=True).count()
        )
        if context["is_manager"]:
            context["attention"] = selectors.attention_for_managers(association)
            context["plans_in_approval"] = todo.plans_in_approval(association)
            context["reviews_in_approval"] = review_selectors.reviews_in_approval(association)
            context["organised"] = todo.organised_events(request.user, association)
            context["reports_to_accept"] = todo.reports_to_accept(association)
            context["mentoring_overdue"] = todo.mentoring_overdue(association)
            context["questions_overdue"] = todo.questions_overdue(association)
            context["due"] = due_activities(association, timezone.localdate())
            context["overdue_returns"] = exchange_selectors.overdue_returns(
                association, timezone.localdate()
            )
        if context["is_director"]:
            context["awaiting_approval"] = WorkPlan.objects.filter(
                association=association, status=WorkPlan.Status.SUBMITTED
            )
            context["reviews_awaiting"] = review_selectors.reviews_awaiting_director(association)
            context["year"] = todo.year_overview(association, timezone.localdate())
        if context["is_librarian"] and request.user.school_id:
            context["my_school"] = School.objects.prefetch_related("buildings").get(
                pk=request.user.school_id
            )
            context["my_shipments"] = list(
                exchange_selectors.awaiting_school(context["my_school"], timezone.localdate())[:5]
            )
            context["my_reports"] = todo.school_reports_due(context["my_school"])
            context["my_orders"] = todo.school_orders_due(context["my_school"])
            context["open_contests"] = contest_selectors.open_for_school(
                association, request.user.school_id, timezone.localdate()
            )
        if context["is_librarian"]:
            context["my_mentoring"] = todo.my_mentoring(request.user)
            context["my_questions"] = todo.my_answered_questions(request.user)
        context["jury_todo"] = contest_selectors.jury_todo(request.user)
    context["my_registrations"] = (
        Registration.objects.filter(
            person=request.user,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event")
        .order_by("event__starts_at")[:5]
    )
    context["deletion_requests"] = privacy_views.open_requests_for(request)
    context["feedback_to_give"] = todo.feedback_to_give(request.user)
    context["my_jobs"] = Job.objects.filter(owner=request.user).order_by("-created_at")[:5]
    return render(request, "core/home.html", context)
