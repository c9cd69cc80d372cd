from django.urls import path

from bibliomo.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/meetings/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/products/", views.products, name="products"),
    path("tasks/<int:pk>/", views.task_mark, name="task_mark"),
]
