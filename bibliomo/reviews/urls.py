from django.urls import path

from bibliomo.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_for_rework, name="return"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path("<int:pk>/export.<str:kind>", views.export, name="export"),
]
