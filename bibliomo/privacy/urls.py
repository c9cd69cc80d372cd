from django.urls import path

from bibliomo.privacy import views

app_name = "privacy"

urlpatterns = [
    path("consent/", views.consent, name="consent"),
    path("consent/text/", views.consent_text, name="consent_text"),
    path("my-data.json", views.my_data, {"fmt": "json"}, name="my_data_json"),
    path("my-data.docx", views.my_data, {"fmt": "docx"}, name="my_data_docx"),
    path("deletion-request/", views.deletion_request, name="deletion_request"),
    path(
        "deletion-requests/<int:pk>/decline/",
        views.deletion_request_decline,
        name="deletion_request_decline",
    ),
    path("people/<int:pk>/anonymise/", views.person_anonymise, name="person_anonymise"),
]
