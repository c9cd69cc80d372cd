from django.urls import path

from bibliomo.practices import views

app_name = "practices"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("<int:pk>/implemented/", views.implement, name="implement"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
