from django.urls import path

from bibliomo.contests import jury_views, views

app_name = "contests"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("external/", views.external, name="external"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/announce/", views.announce, name="announce"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/protocol.docx", views.protocol, name="protocol"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/note.docx", views.note_docx, name="note_docx"),
    path("<int:pk>/awards/", views.awards, name="awards"),
    path("awards/<int:pk>.pdf", views.award_pdf, name="award_pdf"),
    path("<int:pk>/jurors/", jury_views.jurors, name="jurors"),
    path("<int:pk>/jurors/invite/", jury_views.juror_invite, name="juror_invite"),
    path("<int:pk>/jurors/assign/", jury_views.assign, name="assign"),
    path("<int:pk>/jurors/remind/", jury_views.remind, name="remind"),
    path("<int:pk>/jury/", jury_views.jury, name="jury"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entries/<int:pk>/return/", views.entry_return, name="entry_return"),
    path("entries/<int:pk>/file/", views.entry_download, name="entry_download"),
    path("entries/<int:pk>/decision/", views.decision, name="decision"),
    path("entries/<int:pk>/place/", views.place, name="place"),
    path("jurors/<int:pk>/remove/", jury_views.juror_remove, name="juror_remove"),
    path("sheets/<int:pk>/", jury_views.sheet, name="sheet"),
    path("sheets/<int:pk>/aside/", jury_views.step_aside, name="step_aside"),
    path("sheets/<int:pk>/file/", jury_views.sheet_file, name="sheet_file"),
]
