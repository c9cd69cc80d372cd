from django.urls import path

from bibliomo.events.views import documents, events, guests, participation

app_name = "events"

urlpatterns = [
    path("", events.index, name="index"),
    path("calendar/", events.calendar_month, name="calendar"),
    path("new/", events.create, name="create"),
    path("my/", participation.my_participation, name="my"),
    path("<int:pk>/", events.detail, name="detail"),
    path("<int:pk>/edit/", events.edit, name="edit"),
    path("<int:pk>/announce/", events.announce, name="announce"),
    path("<int:pk>/held/", events.mark_held, name="held"),
    path("<int:pk>/cancel/", events.cancel, name="cancel"),
    path("<int:pk>/feedback/", events.feedback, name="feedback"),
    path("<int:pk>/register/", participation.register, name="register"),
    path("<int:pk>/unregister/", participation.unregister, name="unregister"),
    path("<int:pk>/participants/", participation.registrations, name="registrations"),
    path("<int:pk>/participants/add/", participation.register_other, name="register_other"),
    path("<int:pk>/participants.xlsx", guests.participants_xlsx, name="participants_xlsx"),
    path(
        "<int:pk>/participants/<int:registration_pk>/cancel/",
        participation.cancel_registration,
        name="cancel_registration",
    ),
    path("<int:pk>/attendance/", participation.attendance, name="attendance"),
    path("<int:pk>/attendance/import/", participation.attendance_import, name="attendance_import"),
    path("<int:pk>/signin.<str:kind>", participation.signin_sheet, name="signin_sheet"),
    path("<int:pk>/materials/new/", participation.material_add, name="material_add"),
    path("materials/<int:pk>/delete/", participation.material_delete, name="material_delete"),
    path("<int:pk>/certificates/", documents.certificate_list, name="certificates"),
    path("<int:pk>/certificates/issue/", documents.certificate_issue, name="certificate_issue"),
    path("<int:pk>/certificates/zip/", documents.certificate_zip, name="certificate_zip"),
    path("certificates/<str:number>.pdf", documents.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:number>/name/", documents.certificate_name, name="certificate_name"),
    path(
        "certificate-templates/<str:role>/",
        documents.certificate_template,
        name="certificate_template",
    ),
    path("<int:pk>/minutes/", documents.minutes_edit, name="minutes"),
    path("<int:pk>/minutes.docx", documents.minutes_docx, name="minutes_docx"),
]
