from django.urls import path

from bibliomo.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.pair_new, name="pair_new"),
    path("template/", views.template_edit, name="template"),
    path("<int:pk>/", views.pair_detail, name="pair"),
    path("<int:pk>/programme/", views.programme_edit, name="programme"),
    path("<int:pk>/meetings/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/questions/", views.question_ask, name="question_ask"),
    path("<int:pk>/finish/", views.pair_finish, name="finish"),
    path("<int:pk>/survey/", views.survey, name="survey"),
    path("<int:pk>/export.docx", views.export, name="export"),
    path("steps/<int:pk>/", views.step_mark, name="step_mark"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
]
