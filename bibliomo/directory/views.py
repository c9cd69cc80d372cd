from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core import audit
from bibliomo.core.actions import perform
from bibliomo.core.clients import client_ip, throttled
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.jobs import job_start
from bibliomo.core.params import id_param, text_param
from bibliomo.directory import lockouts, selectors, services
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.directory.forms import (
    BuildingForm,
    DeactivateForm,
    InvitationAcceptForm,
    InvitationForm,
    PersonForm,
    ProfileForm,
    SchoolForm,
    UnlockRequestForm,
)
from bibliomo.directory.models import Building, Invitation, Person, Role, RoleGrant, School

PAGE_SIZE = 50


# --- Schools ---------------------------------------------------------------------------------


@login_required
def school_list(request):
    association = require_association(request)
    require_perm(request, "directory.view_school", association)
    query = text_param(request.GET.get("q"), 100)
    schools = list(selectors.schools_for_list(association, query))
    return render(
        request,
        "directory/school_list.html",
        {
            "schools": schools,
            "query": query,
            "building_total": sum(s.building_count for s in schools),
            "can_add": request.user.has_perm("directory.add_school", association),
            "can_export": request.user.has_perm("directory.export_directory", association),
        },
    )


@login_required
def school_detail(request, pk: int):
    school = get_in_association(
        request,
        School.objects.prefetch_related(
            "buildings",
            Prefetch("staff", queryset=Person.objects.filter(is_active=True), to_attr="members"),
        ),
        pk=pk,
    )
    require_perm(request, "directory.view_school", school)
    can_view_private = request.user.has_perm("directory.view_school_private", school)
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            "can_change": request.user.has_perm("directory.change_school", school),
            "can_view_private": can_view_private,
            "history": audit.history(school)[:30] if can_view_private else [],
        },
    )


@login_required
def school_create(request):
    association = require_association(request)
    require_perm(request, "directory.add_school", association)
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Школа «{school}» добавлена. Добавьте её здания.")
            return redirect("directory:building_create", school_pk=school.pk)
    return render(request, "directory/school_form.html", {"form": form, "school": None})


@login_required
def school_edit(request, pk: int):
    school = get_in_association(request, School.objects.all(), pk=pk)
    require_perm(request, "directory.change_school", school)
    form = SchoolForm(request.POST or None, instance=School.objects.get(pk=school.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(request.user, school, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(school)
    return render(request, "directory/school_form.html", {"form": form, "school": school})


@login_required
def building_create(request, school_pk: int):
    school = get_in_association(request, School.objects.all(), pk=school_pk)
    require_perm(request, "directory.change_school", school)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.building_create(request.user, school, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Здание добавлено.")
            return redirect(school)
    return render(
        request, "directory/building_form.html", {"form": form, "school": school, "building": None}
    )


@login_required
def building_edit(request, pk: int):
    building = get_in_association(
        request, Building.objects.select_related("school"), "school__association", pk=pk
    )
    school = building.school
    require_perm(request, "directory.change_school", school)
    form = BuildingForm(request.POST or None, instance=Building.objects.get(pk=building.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.building_update(request.user, building, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(school)
    return render(
        request,
        "directory/building_form.html",
        {"form": form, "school": school, "building": building},
    )


@login_required
@require_POST
def building_delete(request, pk: int):
    building = get_in_association(
        request, Building.objects.select_related("school"), "school__association", pk=pk
    )
    require_perm(request, "directory.change_school", building.school)
    perform(request, services.building_delete, request.user, building, done="Здание удалено.")
    return redirect(building.school)


@login_required
@require_POST
def directory_export(request):
    from bibliomo.directory.tasks import export_directory

    association = require_association(request)
    require_perm(request, "directory.export_directory", association)
    job = job_start(
        request.user,
        "directory_export",
        "Выгрузка справочника школ и библиотекарей",
        export_directory,
        {"association_id": association.pk},
    )
    return redirect("job_detail", pk=job.pk)


# --- People ----------------------------------------------------------------------------------


@login_required
def person_list(request):
    association = require_association(request)
    require_perm(request, "directory.view_association", association)
    can_manage = request.user.has_perm("directory.manage_people", association)
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    school_id = id_param(request.GET.get("school"))
    query = text_param(request.GET.get("q"), 100)
    include_inactive = can_manage and request.GET.get("inactive") == "1"
    people = selectors.people_for_list(association, query, role, school_id, include_inactive)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page:
        person.association_roles = [
            label
            for value, label in Role.choices
            if any(
                g.role == value and g.association_id == association.pk
                for g in person.role_grants.all()
            )
        ]
    return render(
        request,
        "directory/person_list.html",
        {
            "page": page,
            "query": query,
            "role": role,
            "school_id": school_id,
            "include_inactive": include_inactive,
            "roles": Role.choices,
            "schools": School.objects.filter(association=association).only("id", "short_name"),
            "can_manage": can_manage,
        },
    )


def _person_in_association(request, pk: int) -> Person:
    association = require_association(request)
    return get_object_or_404(
        Person.objects.select_related("school")
        .filter(role_grants__association=association)
        .distinct(),
        pk=pk,
    )


@login_required
def person_detail(request, pk: int):
    person = _person_in_association(request, pk)
    require_perm(request, "directory.view_person", person)
    association = require_association(request)
    can_view_private = request.user.has_perm("directory.view_person_private", person)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "role_labels": person.role_labels(association.pk),
            "can_manage": request.user.has_perm("directory.manage_people", association),
            "can_view_private": can_view_private,
            "history": audit.history(person)[:30] if can_view_private else [],
            "deactivate_form": DeactivateForm(),
            "can_anonymise": not person.anonymised_at
            and request.user.has_perm("privacy.anonymise_person", person),
        },
    )


@login_required
def person_edit(request, pk: int):
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    person = _person_in_association(request, pk)
    form = PersonForm(
        request.POST or None, instance=Person.objects.get(pk=person.pk), association=association
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        try:
            with transaction.atomic():
                services.person_update(request.user, person, **data)
                services.person_set_roles(request.user, person, association, roles)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(person)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_deactivate(request, pk: int):
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    person = _person_in_association(request, pk)
    form = DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.person_deactivate(request.user, person, reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Учётная запись {person.short_name} отключена: войти она не сможет."
        )
    return redirect(person)


@login_required
@require_POST
def person_activate(request, pk: int):
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    person = _person_in_association(request, pk)
    perform(
        request,
        services.person_activate,
        request.user,
        person,
        done=f"Учётная запись {person.short_name} снова активна.",
    )
    return redirect(person)


@login_required
@require_POST
def person_send_reset(request, pk: int):
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    person = _person_in_association(request, pk)
    perform(
        request,
        services.person_send_password_reset,
        request.user,
        person,
        done=f"Ссылка для смены пароля отправлена на {person.email}.",
    )
    return redirect(person)


# --- Invitations -----------------------------------------------------------------------------


@login_required
def invitation_list(request):
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    form = InvitationForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                request.user, association, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Приглашение отправлено на {invitation.email}.")
            return redirect("directory:invitation_list")
    invitations = (
        Invitation.objects.filter(association=association)
        .select_related("school", "invited_by", "person")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "directory/invitation_list.html",
        {
            "form": form,
            "invitations": invitations,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def _invitation_in_association(request, pk: int) -> Invitation:
    association = require_association(request)
    require_perm(request, "directory.manage_people", association)
    return get_object_or_404(Invitation, association=association, pk=pk)


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = _invitation_in_association(request, pk)
    try:
        fresh, _ = services.invitation_resend(request.user, invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Новое приглашение отправлено на {fresh.email}.")
    return redirect("directory:invitation_list")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation_in_association(request, pk)
    perform(
        request, services.invitation_revoke, request.user, invitation, done="Приглашение отозвано."
    )
    return redirect("directory:invitation_list")


def invitation_accept(request, token: str):
    """The public page an invitation link leads to."""
    try:
        invitation = services.invitation_check(token)
    except DomainError as error:
        return render(
            request, "registration/invitation_invalid.html", {"error": error.message}, status=410
        )
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token, form.cleaned_data["password1"])
        except DomainError as error:
            return render(
                request,
                "registration/invitation_invalid.html",
                {"error": error.message},
                status=410,
            )
        messages.success(
            request, "Учётная запись создана. Войдите со своим e-mail и новым паролем."
        )
        return redirect("login")
    return render(
        request, "registration/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# --- My profile ------------------------------------------------------------------------------


@login_required
def profile(request):
    person = request.user
    form = ProfileForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(person, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Профиль сохранён.")
            return redirect("directory:profile")
    grants = RoleGrant.objects.filter(person=person).select_related("association")
    deletion_requests = person.deletion_requests.order_by("-created_at")[:3]
    return render(
        request,
        "directory/profile.html",
        {"form": form, "grants": grants, "deletion_requests": deletion_requests},
    )


class ResetConfirmView(PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def get_user(self, uidb64):
        person = super().get_user(uidb64)
        # A deactivated account cannot come back through a reset link.
        if person is not None and not person.is_active:
            return None
        return person


# --- Throttled letters with links: password reset and unlock ---------------------------------


def _too_many_letters(request, email: str) -> bool:
    """Letters with links are limited per e-mail address and per client, an hour each."""
    email = email.strip().lower()
    by_client = throttled(
        "mail-links-client", client_ip(request) or "?", settings.MAIL_LINKS_PER_CLIENT, 3600
    )
    by_address = throttled("mail-links-address", email, settings.MAIL_LINKS_PER_ADDRESS, 3600)
    return by_client or by_address


def _too_many(request):
    return render(request, "429.html", status=429)


class ResetRequestView(PasswordResetView):
    """«Забыли пароль?»: the same neutral answer for any address; too many requests → 429."""

    def form_valid(self, form):
        if _too_many_letters(self.request, form.cleaned_data["email"]):
            return _too_many(self.request)
        return super().form_valid(form)


def unlock_request(request):
    """The locked-out page's form: an unlock link by e-mail, answered the same for anyone."""
    form = UnlockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _too_many_letters(request, email):
            return _too_many(request)
        lockouts.unlock_link_send(email)
        messages.success(
            request,
            "Если вход с этим адресом заблокирован, на него отправлено письмо со ссылкой "
            "для разблокировки.",
        )
        return redirect("login")
    return render(request, "registration/unlock_request.html", {"form": form})


def unlock(request, token: str):
    """The e-mailed link: a button (so that a mail scanner opening links unlocks nothing),
    then the lock is lifted once."""
    try:
        person = lockouts.unlock_check(token)
    except DomainError as error:
        return render(request, "410.html", {"reason": error.message}, status=410)
    if request.method == "POST":
        lockouts.lockout_unlock(token)
        messages.success(request, "Блокировка снята. Войдите со своим паролем.")
        return redirect("login")
    return render(request, "registration/unlock.html", {"person": person})
