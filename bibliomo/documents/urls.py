from django.urls import path

from bibliomo.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("package/", views.package, name="package"),
    path("package/<year:year>/", views.package, name="package_year"),
    path(
        "package/items/<int:pk>/document/",
        views.package_item_document,
        name="package_item_document",
    ),
    path("package/items/<int:pk>/delete/", views.package_item_delete, name="package_item_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/versions/", views.version_upload, name="version_upload"),
    path("<int:pk>/repeal/", views.repeal, name="repeal"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/return/", views.return_for_rework, name="return"),
]
