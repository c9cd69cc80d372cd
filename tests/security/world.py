"""One object of every kind the URLs name, in the test cast's association.

Built through the services, like the rest of the cast. `URL_KWARGS` says, for every URL
pattern with arguments, which object of this world fills them; a URL missing here fails the
resolver walk, so a new page cannot slip past it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bibliomo.consultations import services as consultations
from bibliomo.consultations.models import AnswerTemplate, Attachment, FaqEntry, Question
from bibliomo.contests import services as contests
from bibliomo.contests.models import Award, Contest, Entry, Juror, Sheet
from bibliomo.core.models import Job
from bibliomo.directory import services as directory
from bibliomo.directory.models import Invitation, Role
from bibliomo.documents import services as documents
from bibliomo.documents.models import Document, PackageItem
from bibliomo.events import certificates
from bibliomo.events import services as events
from bibliomo.events.models import Certificate, Event, Material, Registration
from bibliomo.exchange import services as exchange
from bibliomo.exchange.models import ExchangePlan, Order, OrderLine, PoolLine, SchoolOrder, Shipment
from bibliomo.growth import services as growth
from bibliomo.growth.models import Learning, RouteStep
from bibliomo.plans import services as plans
from bibliomo.plans.models import WorkPlan as Plan
from bibliomo.plans.reading import read_plan
from bibliomo.portal import services as portal
from bibliomo.portal.models import Post
from bibliomo.privacy import services as privacy
from bibliomo.privacy.models import DeletionRequest
from bibliomo.reviews import services as reviews
from bibliomo.reviews.models import Review
from bibliomo.textbooks import services as textbooks
from bibliomo.textbooks.models import (
    CatalogEntry,
    CatalogueCorrection,
    CatalogueImport,
    Submission,
)
from tests.contests.builders import open_contest, submit
from tests.factories import (
    A_DATA,
    B_DATA,
    CATALOGUE,
    DOCUMENT_FIELDS,
    fill_and_accept,
    make_event,
    make_order,
    make_plan,
    pdf_bytes,
)
from tests.plans.user_plan import WORD_SAMPLE


@functools.cache
def _pdf(text: str) -> bytes:
    return pdf_bytes(text)  # WeasyPrint takes seconds: once a session is enough


@dataclass
class World:
    cast: object
    plan: Plan
    event: Event
    draft_event: Event
    meeting: Event
    registration: Registration
    material: Material
    certificate: Certificate
    document: Document
    package_item: PackageItem
    post: Post
    invitation: Invitation
    job: Job
    entry: CatalogEntry
    submission_a: Submission
    submission_b: Submission
    exchange_plan: ExchangePlan
    pool_line_b: PoolLine
    shipment: Shipment
    order: Order
    school_order_a: SchoolOrder
    school_order_b: SchoolOrder
    order_line_b: OrderLine
    calendar_token: str
    catalogue_upload: CatalogueImport
    correction: CatalogueCorrection
    deletion_request: DeletionRequest
    review: Review
    question_b: Question
    question_file: Attachment
    faq_entry: FaqEntry
    answer_template: AnswerTemplate
    learning_b: Learning
    step_b: RouteStep
    contest: Contest
    contest_entry_b: Entry
    juror: Juror
    sheet: Sheet
    award: Award


def build_world(cast) -> World:
    plan = plans.plan_import(
        cast.methodist, cast.association, read_plan(WORD_SAMPLE.read_bytes(), WORD_SAMPLE.name)
    )
    plans.plan_submit(cast.methodist, plan)
    plans.plan_approve(cast.director, plan)

    event = make_event(cast, days=7)
    registration = events.registration_create(cast.librarian_a, event, cast.librarian_a)
    events.registration_create(cast.librarian_b, event, cast.librarian_b)
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    events.attendance_mark(cast.methodist, event, {registration.pk: "attended"})
    certificate = certificates.certificates_issue(cast.methodist, event)[0]
    material = events.material_add(
        cast.methodist,
        event,
        title="Презентация",
        file=SimpleUploadedFile("slides.pdf", _pdf("Учебники используются.")),
        visibility="participants",
    )
    draft_event = make_event(cast, status="draft", title="Черновик семинара")
    meeting = make_event(cast, kind="meeting", title="Заседание ММО")

    document = documents.document_create(
        cast.methodist,
        cast.association,
        **{**DOCUMENT_FIELDS, "audience": "members"},
        file_data=_pdf("Учебники используются."),
        filename="prikaz-858.pdf",
    )
    package_item = documents.package_item_add(
        cast.methodist, cast.association, 2024, "Положение о ММО", document
    )
    post = portal.post_create(
        cast.head, cast.association, title="Итоги ярмарки", lead="", body="Текст", publish_at=None
    )
    invitation, _ = directory.invitation_create(
        cast.methodist,
        cast.association,
        email="new@test.ru",
        last_name="Новая",
        first_name="Вера",
        school=cast.school_a,
        roles=[Role.LIBRARIAN],
    )
    job = Job.objects.create(owner=cast.methodist, kind="directory_export", title="Выгрузка")

    textbooks.catalogue_import(None, CATALOGUE)
    campaign = textbooks.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2024/2025",
        academic_year=2024,
        as_of=date(2024, 9, 15),
        deadline=date(2024, 9, 30),
    )
    fill_and_accept(cast, campaign, cast.school_a, cast.librarian_a, A_DATA)
    fill_and_accept(cast, campaign, cast.school_b, cast.librarian_b, B_DATA)
    exchange_plan = make_plan(cast, campaign)
    exchange.solve(exchange_plan)
    exchange_plan.refresh_from_db()
    exchange.plan_publish(cast.methodist, exchange_plan, notify=False)
    shipment = Shipment.objects.get(plan=exchange_plan, source=cast.school_a)
    order = make_order(cast, campaign)
    school_order_b = SchoolOrder.objects.get(order=order, school=cast.school_b)
    question_b, question_file, faq_entry, answer_template = _consultations(cast)
    learning_b, step_b = _growth(cast)
    contest = open_contest(cast)
    contest_entry_b = submit(contest, cast.librarian_b)
    juror = contests.juror_add(cast.methodist, contest, cast.librarian_a)
    contests.sheets_assign(cast.methodist, contest)
    award = Award.objects.create(
        number="K2025-00000001",
        contest=contest,
        kind=Award.Kind.PARTICIPANT,
        entry=contest_entry_b,
        recipient_full_name=contest_entry_b.authors,
        recipient_dative=contest_entry_b.authors,
    )
    return World(
        learning_b=learning_b,
        step_b=step_b,
        question_b=question_b,
        question_file=question_file,
        faq_entry=faq_entry,
        answer_template=answer_template,
        cast=cast,
        plan=plan,
        event=event,
        draft_event=draft_event,
        meeting=meeting,
        registration=registration,
        material=material,
        certificate=certificate,
        document=document,
        package_item=package_item,
        post=post,
        invitation=invitation,
        job=job,
        entry=CatalogEntry.objects.first(),
        submission_a=campaign.submissions.get(school=cast.school_a),
        submission_b=campaign.submissions.get(school=cast.school_b),
        exchange_plan=exchange_plan,
        pool_line_b=PoolLine.objects.filter(plan=exchange_plan, school=cast.school_b).first(),
        shipment=shipment,
        order=order,
        school_order_a=SchoolOrder.objects.get(order=order, school=cast.school_a),
        school_order_b=school_order_b,
        order_line_b=OrderLine.objects.filter(school_order=school_order_b).first(),
        calendar_token=events.participant_settings(cast.librarian_a).calendar_token,
        catalogue_upload=CatalogueImport.objects.create(
            owner=cast.methodist, filename="fpu.csv", file="catalogue/fpu.csv"
        ),
        correction=CatalogueCorrection.objects.create(
            association=cast.association, author=cast.methodist, text="Исправить издателя."
        ),
        deletion_request=privacy.deletion_request_create(cast.librarian_b, cast.association, ""),
        review=reviews.review_create(cast.methodist, cast.association, plan.academic_year),
        contest=contest,
        contest_entry_b=contest_entry_b,
        juror=juror,
        sheet=juror.sheets.get(),
        award=award,
    )


def _consultations(cast):
    """School B's private question (with a file) and a solved one in the base of answers."""
    question_b = consultations.question_ask(
        cast.librarian_b,
        cast.association,
        topic="write_off",
        subject="Списание",
        text="Как списать?",
        files=[(_pdf("Акт списания."), "akt.pdf")],
    )
    solved = consultations.question_ask(
        cast.librarian_a, cast.association, topic="other", subject="Обмен", text="Как?"
    )
    answer = consultations.message_add(cast.methodist, solved, text="Так.")
    consultations.question_solve(cast.librarian_a, solved, answer)
    entry = consultations.faq_publish(
        cast.methodist,
        solved,
        topic="other",
        title="Обмен учебниками",
        question_text="Как?",
        answer_text="Так.",
    )
    template = consultations.template_save(
        cast.methodist, cast.association, title="Списание", text="Акт."
    )
    return question_b, question_b.attachments.get(), entry, template


def _growth(cast):
    """School B's librarian's course (with its certificate) and a step of her route."""
    learning = growth.learning_add(
        cast.librarian_b,
        cast.librarian_b,
        kind="course",
        title="Курсы",
        organiser="АСОУ",
        hours=36,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 30),
        link="",
        certificate_number="1",
        certificate=(_pdf("Удостоверение."), "cert.pdf"),
    )
    route = growth.route_save(cast.librarian_b, cast.librarian_b, 2026, "Цифровые сервисы")
    step = growth.step_add(
        cast.librarian_b, route, kind="self_study", title="Книга", due_on=date(2027, 3, 1)
    )
    return learning, step


# For every URL with arguments: the arguments naming an object of the world. School A's
# librarian (`librarian_a`) must be refused (403) the pages listed in `SCHOOL_B_PRIVATE`.
def _members(w) -> dict:
    """Mentoring, working groups and the bank of practices, built on first use."""
    if not hasattr(w, "_members"):
        from bibliomo.groups import services as groups
        from bibliomo.mentoring import services as mentoring
        from bibliomo.practices import services as practices

        cast = w.cast
        today = timezone.localdate()
        pair = mentoring.pair_create(
            cast.methodist,
            cast.association,
            mentor=cast.librarian_a,
            mentee=cast.librarian_b,
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=200),
        )
        question = mentoring.question_ask(cast.librarian_b, pair, text="Как вести КСУ?")
        group = groups.group_create(
            cast.methodist,
            cast.association,
            name="Мы за них в ответе",
            goal="Сопровождение",
            head=cast.head,
            members=[cast.librarian_b],
        )
        task = groups.task_add(cast.head, group, title="Анкеты", owner=cast.head, due_on=today)
        practice = practices.practice_create(
            cast.librarian_b,
            cast.association,
            title="Квест",
            grades="5 классы",
            form="quest",
            goal="Цель",
            description="Описание",
            tags=[],
            fair=None,
        )
        material = practices.material_add(
            cast.librarian_b,
            practice,
            title="Сценарий",
            file=SimpleUploadedFile("сценарий.txt", "Сценарий квеста".encode()),
        )
        mark = practices.implementation_mark(
            cast.librarian_a,
            practice,
            implemented_on=today,
            photo=SimpleUploadedFile("фото.png", _PNG),
        )
        w._members = {
            "pair": pair,
            "step": pair.steps.first(),
            "question": question,
            "group": group,
            "task": task,
            "practice": practice,
            "material": material,
            "implementation": mark,
        }
    return w._members


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _pk(kind: str):
    return lambda w: {"pk": _members(w)[kind].pk}


URL_KWARGS = {
    "mentoring:pair": _pk("pair"),
    "mentoring:meeting_add": _pk("pair"),
    "mentoring:question_ask": _pk("pair"),
    "mentoring:finish": _pk("pair"),
    "mentoring:survey": _pk("pair"),
    "mentoring:export": _pk("pair"),
    "mentoring:programme": _pk("pair"),
    "mentoring:step_mark": _pk("step"),
    "mentoring:question_answer": _pk("question"),
    "groups:detail": _pk("group"),
    "groups:edit": _pk("group"),
    "groups:task_add": _pk("group"),
    "groups:meeting_add": _pk("group"),
    "groups:products": _pk("group"),
    "groups:task_mark": _pk("task"),
    "practices:detail": _pk("practice"),
    "practices:edit": _pk("practice"),
    "practices:material_add": _pk("practice"),
    "practices:implement": _pk("practice"),
    "practices:publish": _pk("practice"),
    "practices:material": _pk("material"),
    "practices:material_delete": _pk("material"),
    "practices:photo": _pk("implementation"),
    "public_practice": _pk("practice"),
    "public_post": lambda w: {"pk": w.post.pk},
    "public_document": lambda w: {"pk": w.document.pk},
    "document_file": lambda w: {"pk": w.document.versions.first().pk},
    "public_event": lambda w: {"pk": w.event.pk},
    "guest_register": lambda w: {"pk": w.event.pk},
    "guest": lambda w: {"token": "no-such-guest"},
    "personal_feed": lambda w: {"token": w.calendar_token, "scope": "all"},
    "material_download": lambda w: {"pk": w.material.pk},
    "certificate_verify": lambda w: {"number": w.certificate.number},
    "job_detail": lambda w: {"pk": w.job.pk},
    "job_download": lambda w: {"pk": w.job.pk},
    "directory:school_detail": lambda w: {"pk": w.cast.school_b.pk},
    "directory:school_edit": lambda w: {"pk": w.cast.school_b.pk},
    "directory:building_create": lambda w: {"school_pk": w.cast.school_b.pk},
    "directory:building_edit": lambda w: {"pk": w.cast.school_b.buildings.get().pk},
    "directory:building_delete": lambda w: {"pk": w.cast.school_b.buildings.get().pk},
    "directory:person_detail": lambda w: {"pk": w.cast.librarian_b.pk},
    "directory:person_edit": lambda w: {"pk": w.cast.librarian_b.pk},
    "directory:person_deactivate": lambda w: {"pk": w.cast.librarian_b.pk},
    "directory:person_activate": lambda w: {"pk": w.cast.librarian_b.pk},
    "directory:person_send_reset": lambda w: {"pk": w.cast.librarian_b.pk},
    "directory:invitation_resend": lambda w: {"pk": w.invitation.pk},
    "directory:invitation_revoke": lambda w: {"pk": w.invitation.pk},
    "reviews:detail": lambda w: {"pk": w.review.pk},
    "reviews:edit": lambda w: {"pk": w.review.pk},
    "reviews:submit": lambda w: {"pk": w.review.pk},
    "reviews:approve": lambda w: {"pk": w.review.pk},
    "reviews:return": lambda w: {"pk": w.review.pk},
    "reviews:renew": lambda w: {"pk": w.review.pk},
    "reviews:export": lambda w: {"pk": w.review.pk, "kind": "docx"},
    "plans:detail": lambda w: {"pk": w.plan.pk},
    "plans:header_edit": lambda w: {"pk": w.plan.pk},
    "plans:section_add": lambda w: {"pk": w.plan.pk},
    "plans:by_month": lambda w: {"pk": w.plan.pk},
    "plans:by_month_export": lambda w: {"pk": w.plan.pk, "kind": "docx"},
    "plans:export": lambda w: {"pk": w.plan.pk, "kind": "docx"},
    "plans:report": lambda w: {"pk": w.plan.pk},
    "plans:submit": lambda w: {"pk": w.plan.pk},
    "plans:approve": lambda w: {"pk": w.plan.pk},
    "plans:return": lambda w: {"pk": w.plan.pk},
    "plans:revise": lambda w: {"pk": w.plan.pk},
    "plans:rollover": lambda w: {"pk": w.plan.pk},
    "plans:revisions": lambda w: {"pk": w.plan.pk},
    "plans:revision_detail": lambda w: {"pk": w.plan.pk, "number": 1},
    "plans:section_edit": lambda w: {"pk": w.plan.sections.first().pk},
    "plans:section_delete": lambda w: {"pk": w.plan.sections.first().pk},
    "plans:section_move": lambda w: {"pk": w.plan.sections.first().pk, "direction": "down"},
    "plans:activity_add": lambda w: {"pk": w.plan.sections.first().pk},
    "plans:activity_edit": lambda w: {"pk": w.plan.sections.first().activities.first().pk},
    "plans:activity_delete": lambda w: {"pk": w.plan.sections.first().activities.first().pk},
    "plans:activity_events": lambda w: {"pk": w.plan.sections.first().activities.first().pk},
    "plans:activity_confirm": lambda w: {"pk": w.plan.sections.first().activities.first().pk},
    "plans:activity_move": lambda w: {
        "pk": w.plan.sections.first().activities.first().pk,
        "direction": "up",
    },
    "plans:activity_mark": lambda w: {"pk": w.plan.sections.first().activities.first().pk},
    "events:detail": lambda w: {"pk": w.event.pk},
    "events:edit": lambda w: {"pk": w.event.pk},
    "events:announce": lambda w: {"pk": w.draft_event.pk},
    "events:held": lambda w: {"pk": w.event.pk},
    "events:cancel": lambda w: {"pk": w.event.pk},
    "events:feedback": lambda w: {"pk": w.event.pk},
    "events:register": lambda w: {"pk": w.event.pk},
    "events:unregister": lambda w: {"pk": w.event.pk},
    "events:registrations": lambda w: {"pk": w.event.pk},
    "events:participants_xlsx": lambda w: {"pk": w.event.pk},
    "events:register_other": lambda w: {"pk": w.event.pk},
    "events:cancel_registration": lambda w: {
        "pk": w.event.pk,
        "registration_pk": w.registration.pk,
    },
    "events:attendance": lambda w: {"pk": w.event.pk},
    "events:attendance_import": lambda w: {"pk": w.event.pk},
    "events:signin_sheet": lambda w: {"pk": w.event.pk, "kind": "docx"},
    "events:material_add": lambda w: {"pk": w.event.pk},
    "events:material_delete": lambda w: {"pk": w.material.pk},
    "events:certificates": lambda w: {"pk": w.event.pk},
    "events:certificate_issue": lambda w: {"pk": w.event.pk},
    "events:certificate_zip": lambda w: {"pk": w.event.pk},
    "events:certificate_pdf": lambda w: {"number": w.certificate.number},
    "events:certificate_name": lambda w: {"number": w.certificate.number},
    "events:certificate_template": lambda w: {"role": "participant"},
    "events:minutes": lambda w: {"pk": w.meeting.pk},
    "events:minutes_docx": lambda w: {"pk": w.meeting.pk},
    "documents:package_year": lambda w: {"year": 2024},
    "documents:package_item_document": lambda w: {"pk": w.package_item.pk},
    "documents:package_item_delete": lambda w: {"pk": w.package_item.pk},
    "documents:detail": lambda w: {"pk": w.document.pk},
    "documents:edit": lambda w: {"pk": w.document.pk},
    "documents:version_upload": lambda w: {"pk": w.document.pk},
    "documents:repeal": lambda w: {"pk": w.document.pk},
    "documents:link": lambda w: {"pk": w.document.pk},
    "documents:propose": lambda w: {"pk": w.document.pk},
    "documents:publish": lambda w: {"pk": w.document.pk},
    "documents:unpublish": lambda w: {"pk": w.document.pk},
    "documents:return": lambda w: {"pk": w.document.pk},
    "portal:preview": lambda w: {"pk": w.post.pk},
    "portal:edit": lambda w: {"pk": w.post.pk},
    "portal:submit": lambda w: {"pk": w.post.pk},
    "portal:publish": lambda w: {"pk": w.post.pk},
    "portal:unpublish": lambda w: {"pk": w.post.pk},
    "portal:return": lambda w: {"pk": w.post.pk},
    "portal:export": lambda w: {"pk": w.post.pk},
    "textbooks:set_limit_date": lambda w: {"pk": w.entry.pk},
    "textbooks:campaign": lambda w: {"pk": w.submission_a.campaign_id},
    "textbooks:campaign_remind": lambda w: {"pk": w.submission_a.campaign_id},
    "textbooks:submission": lambda w: {"pk": w.submission_b.pk},
    "textbooks:template": lambda w: {"pk": w.submission_b.pk},
    "textbooks:upload": lambda w: {"pk": w.submission_b.pk},
    "textbooks:upload_confirm": lambda w: {"pk": w.submission_b.pk},
    "textbooks:catalogue_preview": lambda w: {"pk": w.catalogue_upload.pk},
    "textbooks:catalogue_confirm": lambda w: {"pk": w.catalogue_upload.pk},
    "textbooks:catalogue_cancel": lambda w: {"pk": w.catalogue_upload.pk},
    "textbooks:catalogue_as_amendment": lambda w: {"pk": w.catalogue_upload.pk},
    "textbooks:correction_close": lambda w: {"pk": w.correction.pk},
    "privacy:deletion_request_decline": lambda w: {"pk": w.deletion_request.pk},
    "privacy:person_anonymise": lambda w: {"pk": w.cast.librarian_b.pk},
    "textbooks:enrolment": lambda w: {"pk": w.submission_b.pk},
    "textbooks:lines": lambda w: {"pk": w.submission_b.pk},
    "textbooks:holdings": lambda w: {"pk": w.submission_b.pk},
    "textbooks:write_off": lambda w: {"pk": w.submission_b.pk},
    "textbooks:submit": lambda w: {"pk": w.submission_b.pk},
    "textbooks:decide": lambda w: {"pk": w.submission_b.pk},
    "textbooks:school_provision": lambda w: {"school_pk": w.cast.school_b.pk},
    "exchange:plan": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:plan_solve": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:plan_publish": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:plan_line": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:pool": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:pool_add": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:reserve": lambda w: {"pk": w.exchange_plan.pk},
    "exchange:pool_line": lambda w: {"pk": w.pool_line_b.pk},
    "exchange:shipment": lambda w: {"pk": w.shipment.pk},
    "exchange:shipment_step": lambda w: {"pk": w.shipment.pk, "step": "agree"},
    "exchange:act_docx": lambda w: {"pk": w.shipment.pk},
    "exchange:act_pdf": lambda w: {"pk": w.shipment.pk},
    "exchange:order": lambda w: {"pk": w.order.pk},
    "exchange:order_compute": lambda w: {"pk": w.order.pk},
    "exchange:order_consolidate": lambda w: {"pk": w.order.pk},
    "exchange:order_xlsx": lambda w: {"pk": w.order.pk},
    "exchange:school_order": lambda w: {"pk": w.school_order_b.pk},
    "exchange:intake": lambda w: {"pk": w.school_order_b.pk},
    "exchange:submit": lambda w: {"pk": w.school_order_b.pk},
    "exchange:lines_save": lambda w: {"pk": w.school_order_b.pk},
    "exchange:decide": lambda w: {"pk": w.school_order_b.pk},
    "exchange:school_order_xlsx": lambda w: {"pk": w.school_order_b.pk},
    "exchange:school_order_docx": lambda w: {"pk": w.school_order_b.pk},
    "exchange:line_set": lambda w: {"pk": w.order_line_b.pk},
    "exchange:line_entry": lambda w: {"pk": w.order_line_b.pk},
    "consultations:detail": lambda w: {"pk": w.question_b.pk},
    "consultations:reply": lambda w: {"pk": w.question_b.pk},
    "consultations:solve": lambda w: {
        "pk": w.question_b.pk,
        "message_pk": w.faq_entry.question.solution_id,
    },
    "consultations:publish": lambda w: {"pk": w.question_b.pk},
    "consultations:attachment": lambda w: {"pk": w.question_file.pk},
    "consultations:faq_detail": lambda w: {"pk": w.faq_entry.pk},
    "consultations:faq_edit": lambda w: {"pk": w.faq_entry.pk},
    "consultations:faq_delete": lambda w: {"pk": w.faq_entry.pk},
    "consultations:template_edit": lambda w: {"pk": w.answer_template.pk},
    "consultations:template_delete": lambda w: {"pk": w.answer_template.pk},
    "growth:learning_edit": lambda w: {"pk": w.learning_b.pk},
    "growth:learning_delete": lambda w: {"pk": w.learning_b.pk},
    "growth:learning_confirm": lambda w: {"pk": w.learning_b.pk},
    "growth:learning_return": lambda w: {"pk": w.learning_b.pk},
    "growth:certificate": lambda w: {"pk": w.learning_b.pk},
    "growth:card": lambda w: {"pk": w.cast.librarian_b.pk},
    "growth:route": lambda w: {"pk": w.cast.librarian_b.pk},
    "growth:step_add": lambda w: {"pk": w.cast.librarian_b.pk},
    "growth:portfolio": lambda w: {"pk": w.cast.librarian_b.pk, "kind": "docx"},
    "growth:step_done": lambda w: {"pk": w.step_b.pk},
    "growth:step_delete": lambda w: {"pk": w.step_b.pk},
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "invitation_accept": lambda w: {"token": "no-such-invitation"},
    "unlock": lambda w: {"token": "no-such-link"},
    **{
        f"contests:{name}": lambda w: {"pk": w.contest.pk}
        for name in (
            "detail",
            "edit",
            "announce",
            "close",
            "entry_create",
            "results",
            "publish",
            "protocol",
            "note",
            "note_docx",
            "jurors",
            "assign",
            "juror_invite",
            "remind",
            "jury",
            "awards",
        )
    },
    "contests:award_pdf": lambda w: {"pk": w.award.pk},
    **{
        f"contests:{name}": lambda w: {"pk": w.contest_entry_b.pk}
        for name in (
            "entry_edit",
            "entry_withdraw",
            "entry_return",
            "entry_download",
            "decision",
            "place",
        )
    },
    "contests:juror_remove": lambda w: {"pk": w.juror.pk},
    "contests:sheet": lambda w: {"pk": w.sheet.pk},
    "contests:step_aside": lambda w: {"pk": w.sheet.pk},
    "contests:sheet_file": lambda w: {"pk": w.sheet.pk},
    "public_contest": lambda w: {"pk": w.contest.pk},
}

# Pages private to school B: its librarian reads them, school A's librarian gets 403.
SCHOOL_B_PRIVATE = {
    "textbooks:submission",
    "textbooks:template",
    "textbooks:school_provision",
    "exchange:school_order",
    "exchange:school_order_xlsx",
    "exchange:school_order_docx",
    "exchange:line_entry",
    "consultations:detail",
    "consultations:attachment",
    "growth:card",
    "growth:route",
    "growth:portfolio",
    "growth:learning_edit",
    "growth:certificate",
    "contests:entry_edit",
    "contests:entry_download",
    "contests:award_pdf",
}
