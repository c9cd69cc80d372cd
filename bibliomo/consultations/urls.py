from django.urls import path

from bibliomo.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/solved/<int:message_pk>/", views.solve, name="solve"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("answers/", views.faq_index, name="faq_index"),
    path("answers/<int:pk>/", views.faq_detail, name="faq_detail"),
    path("answers/<int:pk>/edit/", views.faq_edit, name="faq_edit"),
    path("answers/<int:pk>/delete/", views.faq_delete, name="faq_delete"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("figures/", views.figures, name="figures"),
]
