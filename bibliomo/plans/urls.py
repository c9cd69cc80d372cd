from django.urls import path

from bibliomo.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/header/", views.header_edit, name="header_edit"),
    path("<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("<int:pk>/months/", views.by_month, name="by_month"),
    path("<int:pk>/months.<str:kind>", views.by_month_export, name="by_month_export"),
    path("<int:pk>/export.<str:kind>", views.export, name="export"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_for_rework, name="return"),
    path("<int:pk>/revise/", views.start_revision, name="revise"),
    path("<int:pk>/rollover/", views.rollover, name="rollover"),
    path("<int:pk>/revisions/", views.revisions, name="revisions"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision_detail"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("sections/<int:pk>/move/<str:direction>/", views.section_move, name="section_move"),
    path("sections/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/move/<str:direction>/", views.activity_move, name="activity_move"),
    path("activities/<int:pk>/mark/", views.activity_mark, name="activity_mark"),
    path("activities/<int:pk>/events/", views.activity_events, name="activity_events"),
    path("activities/<int:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
]
