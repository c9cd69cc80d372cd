"""Every write to the directory: schools, buildings, people, roles, invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import (
    Association,
    Building,
    Invitation,
    Person,
    Position,
    Role,
    RoleGrant,
    School,
    hash_token,
)

SCHOOL_FIELDS = (
    "full_name",
    "short_name",
    "address",
    "director",
    "director_genitive",
    "email",
    "phone",
    "website",
)
BUILDING_FIELDS = ("name", "address", "latitude", "longitude", "is_main")
CAREER_FIELDS = ("librarian_since", "education", "education_detail")
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "position",
    "school",
    "phone",
    "email",
    *CAREER_FIELDS,
)
PROFILE_FIELDS = ("last_name", "first_name", "patronymic", "position", "phone", *CAREER_FIELDS)


def _apply(instance, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


# --- Schools and buildings -------------------------------------------------------------------


def _check_school_name_free(association: Association, short_name: str, exclude_pk=None) -> None:
    clash = School.objects.filter(association=association, short_name__iexact=short_name.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            f"Школа с кратким наименованием «{short_name}» уже есть в объединении.",
            field="short_name",
        )


@transaction.atomic
def school_create(actor: Person | None, association: Association, **fields: Any) -> School:
    _check_school_name_free(association, fields.get("short_name", ""))
    school = School(association=association)
    _apply(school, fields, SCHOOL_FIELDS)
    school.full_clean()
    school.save()
    audit.record(actor, school, AuditEntry.Action.CREATED)
    return school


@transaction.atomic
def school_update(actor: Person | None, school: School, **fields: Any) -> School:
    if "short_name" in fields:
        _check_school_name_free(school.association, fields["short_name"], exclude_pk=school.pk)
    before = audit.snapshot(school, fields)
    _apply(school, fields, SCHOOL_FIELDS)
    school.full_clean()
    school.save()
    changes = audit.diff(school, before)
    if changes:
        audit.record(actor, school, AuditEntry.Action.UPDATED, changes)
    return school


def _keep_single_main(building: Building) -> None:
    if building.is_main:
        Building.objects.filter(school=building.school, is_main=True).exclude(
            pk=building.pk
        ).update(is_main=False)


@transaction.atomic
def building_create(actor: Person | None, school: School, **fields: Any) -> Building:
    building = Building(school=school)
    _apply(building, fields, BUILDING_FIELDS)
    if not school.buildings.exists():
        building.is_main = True  # the first building is the main one
    building.full_clean()
    building.save()
    _keep_single_main(building)
    audit.record(
        actor, school, AuditEntry.Action.UPDATED, comment=f"Добавлено здание «{building.name}»"
    )
    return building


@transaction.atomic
def building_update(actor: Person | None, building: Building, **fields: Any) -> Building:
    before = audit.snapshot(building, fields)
    _apply(building, fields, BUILDING_FIELDS)
    building.full_clean()
    building.save()
    _keep_single_main(building)
    changes = audit.diff(building, before)
    if changes:
        audit.record(
            actor,
            building.school,
            AuditEntry.Action.UPDATED,
            changes,
            comment=f"Здание «{building.name}»",
        )
    return building


@transaction.atomic
def building_delete(actor: Person | None, building: Building) -> None:
    school = building.school
    if school.buildings.count() == 1:
        raise DomainError("У школы должно остаться хотя бы одно здание.")
    name, was_main = building.name, building.is_main
    building.delete()
    if was_main:
        first = school.buildings.order_by("name").first()
        if first is not None:  # always: the last building is never deleted
            first.is_main = True
            first.save(update_fields=["is_main"])
    audit.record(actor, school, AuditEntry.Action.UPDATED, comment=f"Удалено здание «{name}»")


# --- People and roles ------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email_free(email: str, exclude_pk=None) -> None:
    clash = Person.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError("Человек с таким e-mail уже зарегистрирован.", field="email")


def _check_roles(association: Association, roles: list[str], school: School | None) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise DomainError("Указана неизвестная роль.", field="roles")
    if not roles:
        raise DomainError("Выберите хотя бы одну роль.", field="roles")
    if school is not None and school.association_id != association.pk:
        raise DomainError("Школа не входит в это объединение.", field="school")
    if Role.LIBRARIAN in roles and school is None:
        raise DomainError("Для педагога-библиотекаря укажите школу.", field="school")


@transaction.atomic
def person_create(
    actor: Person | None,
    association: Association,
    *,
    email: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    position: str = Position.LIBRARIAN,
    school: School | None = None,
    phone: str = "",
    roles: list[str],
    password: str | None = None,
) -> Person:
    email = _normalise_email(email)
    _check_email_free(email)
    _check_roles(association, roles, school)
    person = Person(
        email=email,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        position=position,
        school=school,
        phone=phone.strip(),
    )
    person.set_password(password)  # None leaves an unusable password until reset/invitation
    person.full_clean(exclude=["password"])
    person.save()
    for role in roles:
        RoleGrant.objects.create(person=person, association=association, role=role)
    audit.record(
        actor,
        person,
        AuditEntry.Action.CREATED,
        {"роли": ["", ", ".join(person.role_labels(association.pk))]},
    )
    return person


@transaction.atomic
def person_update(actor: Person | None, person: Person, **fields: Any) -> Person:
    if person.anonymised_at:
        raise DomainError("Данные этого человека обезличены: карточку больше не меняют.")
    if "email" in fields:
        fields["email"] = _normalise_email(fields["email"])
        _check_email_free(fields["email"], exclude_pk=person.pk)
    if "school" in fields and fields["school"] is None:
        association_ids = set(person.grants)
        if any(Role.LIBRARIAN in person.roles_in(a) for a in association_ids):
            raise DomainError("Для педагога-библиотекаря укажите школу.", field="school")
    since = fields.get("librarian_since")
    if since is not None and since > timezone.localdate():
        raise DomainError(
            "Дата начала работы не может быть позже сегодняшнего дня.", field="librarian_since"
        )
    before = audit.snapshot(person, fields)
    _apply(person, fields, PERSON_FIELDS)
    person.full_clean(exclude=["password"])
    person.save()
    changes = audit.diff(person, before)
    if changes:
        audit.record(actor, person, AuditEntry.Action.UPDATED, changes)
    return person


def profile_update(person: Person, **fields: Any) -> Person:
    """A person edits her own card; e-mail, school and roles stay with the methodist."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable in a profile: {sorted(unknown)}")
    return person_update(person, person, **fields)


@transaction.atomic
def person_set_roles(
    actor: Person | None, person: Person, association: Association, roles: list[str]
) -> None:
    _check_roles(association, roles, person.school)
    current = set(
        RoleGrant.objects.filter(person=person, association=association).values_list(
            "role", flat=True
        )
    )
    wanted = set(roles)
    if actor is not None and actor.pk == person.pk and Role.METHODIST in current - wanted:
        raise DomainError("Нельзя снять с себя роль методиста: попросите другого методиста.")
    if current == wanted:
        return
    RoleGrant.objects.filter(
        person=person, association=association, role__in=current - wanted
    ).delete()
    for role in wanted - current:
        RoleGrant.objects.create(person=person, association=association, role=role)
    labels = dict(Role.choices)
    audit.record(
        actor,
        person,
        AuditEntry.Action.UPDATED,
        {
            "роли": [
                ", ".join(labels[r] for r in Role.values if r in current),
                ", ".join(labels[r] for r in Role.values if r in wanted),
            ]
        },
    )
    person.forget_roles()


@transaction.atomic
def person_deactivate(actor: Person, person: Person, reason: str = "") -> None:
    if actor.pk == person.pk:
        raise DomainError("Нельзя отключить собственную учётную запись.")
    if not person.is_active:
        return
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit.record(actor, person, AuditEntry.Action.DEACTIVATED, comment=reason)


@transaction.atomic
def person_activate(actor: Person, person: Person) -> None:
    if person.is_active:
        return
    if person.anonymised_at:
        raise DomainError("Данные этого человека обезличены: учётную запись не включить.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record(actor, person, AuditEntry.Action.ACTIVATED)


def password_reset_link(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def person_send_password_reset(actor: Person, person: Person) -> None:
    """The methodist sends a person a link to set a new password (the old one stays valid)."""
    if not person.is_active:
        raise DomainError("Учётная запись отключена: сначала включите её.")
    context = {"person": person, "link": password_reset_link(person), "actor": actor}
    letter_send("password_reset_by_methodist", [person.email], context)
    audit.record(actor, person, AuditEntry.Action.PASSWORD_RESET)


# --- Invitations -----------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


def _send_invitation(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "link": invitation_link(token),
        "association": invitation.association,
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    letter_send("invitation", [invitation.email], context)


def _send_already_registered(invitation: Invitation) -> None:
    context = {"invitation": invitation, "association": invitation.association}
    letter_send("invitation_registered", [invitation.email], context)


@transaction.atomic
def invitation_create(
    actor: Person,
    association: Association,
    *,
    email: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    position: str = Position.LIBRARIAN,
    school: School | None = None,
    roles: list[str],
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; returns it with the raw token (sent once)."""
    email = _normalise_email(email)
    registered = Person.objects.filter(email__iexact=email).first()
    if registered is not None and association.pk in registered.grants:
        raise DomainError("Человек с таким e-mail уже зарегистрирован.", field="email")
    # Someone of another association: the methodist is answered as for anyone (whether an
    # address has an account elsewhere is not hers to learn); the person is told she already
    # has an account, and no link that would create a second one is sent.
    _check_roles(association, roles, school)
    now = timezone.now()
    # A fresh invitation replaces any still-open one for the same address.
    Invitation.objects.filter(
        association=association, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        association=association,
        email=email,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        position=position,
        school=school,
        roles=sorted(set(roles)),
        token_hash=hash_token(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit.record(actor, invitation, AuditEntry.Action.INVITED)
    if registered is not None:
        transaction.on_commit(lambda: _send_already_registered(invitation))
    else:
        transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


@transaction.atomic
def invitation_resend(actor: Person, invitation: Invitation) -> tuple[Invitation, str]:
    """A new link with a new expiry; the old link stops working."""
    if invitation.accepted_at:
        raise DomainError("Приглашение уже принято.")
    return invitation_create(
        actor,
        invitation.association,
        email=invitation.email,
        last_name=invitation.last_name,
        first_name=invitation.first_name,
        patronymic=invitation.patronymic,
        position=invitation.position,
        school=invitation.school,
        roles=invitation.roles,
    )


@transaction.atomic
def invitation_revoke(actor: Person, invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise DomainError("Приглашение уже принято: отключите учётную запись вместо отзыва.")
    if invitation.revoked_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, invitation, AuditEntry.Action.DELETED, comment="Приглашение отозвано")


def invitation_check(token: str) -> Invitation:
    """The open invitation for a link, or a DomainError saying what is wrong with it."""
    invitation = (
        Invitation.objects.select_related("association", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise DomainError(
            "Ссылка-приглашение недействительна. Проверьте, что она скопирована целиком."
        )
    status = invitation.get_status()
    if status == "accepted":
        raise DomainError(
            "Это приглашение уже использовано. Войдите со своим e-mail и паролем "
            "или восстановите пароль."
        )
    if status == "revoked":
        raise DomainError("Приглашение отозвано. Попросите методиста прислать новое.")
    if status == "expired":
        raise DomainError(
            "Срок действия приглашения истёк "
            f"{timezone.localtime(invitation.expires_at):%d.%m.%Y}. "
            "Попросите методиста прислать новое."
        )
    return invitation


@transaction.atomic
def invitation_accept(token: str, password: str) -> Person:
    # Lock the row so that two clicks on the same link cannot create two accounts.
    invitation = invitation_check(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(token)
    person = person_create(
        invitation.invited_by,
        invitation.association,
        email=invitation.email,
        last_name=invitation.last_name,
        first_name=invitation.first_name,
        patronymic=invitation.patronymic,
        position=invitation.position,
        school=invitation.school,
        roles=invitation.roles,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.person = person
    invitation.save(update_fields=["accepted_at", "person"])
    return person
