from django.urls import path

from bibliomo.textbooks.views import campaigns, catalogue, provision

app_name = "textbooks"

urlpatterns = [
    path("", campaigns.index, name="index"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/import/", catalogue.catalogue_import, name="catalogue_import"),
    path("catalogue/import/<int:pk>/", catalogue.catalogue_preview, name="catalogue_preview"),
    path(
        "catalogue/import/<int:pk>/confirm/", catalogue.catalogue_confirm, name="catalogue_confirm"
    ),
    path("catalogue/import/<int:pk>/cancel/", catalogue.catalogue_cancel, name="catalogue_cancel"),
    path(
        "catalogue/import/<int:pk>/amendment/",
        catalogue.catalogue_as_amendment,
        name="catalogue_as_amendment",
    ),
    path("catalogue/excluded/", catalogue.excluded, name="excluded"),
    path("catalogue/corrections/", catalogue.corrections, name="corrections"),
    path("catalogue/corrections/new/", catalogue.correction_new, name="correction_new"),
    path(
        "catalogue/corrections/<int:pk>/close/",
        catalogue.correction_close,
        name="correction_close",
    ),
    path("catalogue/<int:pk>/limit/", catalogue.set_limit_date, name="set_limit_date"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path("reports/<int:pk>/", campaigns.submission_detail, name="submission"),
    path("reports/<int:pk>/template.xlsx", campaigns.template_download, name="template"),
    path("reports/<int:pk>/upload/", campaigns.upload, name="upload"),
    path("reports/<int:pk>/upload/confirm/", campaigns.upload_confirm, name="upload_confirm"),
    path("reports/<int:pk>/enrolment/", campaigns.enrolment_edit, name="enrolment"),
    path("reports/<int:pk>/lines/", campaigns.lines_edit, name="lines"),
    path("reports/<int:pk>/holdings/", campaigns.holdings_edit, name="holdings"),
    path("reports/<int:pk>/write-offs/new/", campaigns.write_off_add, name="write_off"),
    path("reports/<int:pk>/submit/", campaigns.submit, name="submit"),
    path("reports/<int:pk>/decide/", campaigns.decide, name="decide"),
    path("schools/<int:school_pk>/provision/", provision.school_provision, name="school_provision"),
    path("summary/", provision.summary, name="summary"),
    path("summary/map.json", provision.summary_map, {"kind": "json"}, name="summary_map"),
    path("summary/map.svg", provision.summary_map, {"kind": "svg"}, name="summary_drawing"),
]
