from django.urls import path

from bibliomo.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/return/", views.return_post, name="return"),
    path("<int:pk>/export.zip", views.export, name="export"),
]
