from django.urls import path

from bibliomo.growth import views

app_name = "growth"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("category/", views.card_edit, name="card_edit"),
    path("learning/new/", views.learning_add, name="learning_add"),
    path("learning/<int:pk>/", views.learning_edit, name="learning_edit"),
    path("learning/<int:pk>/delete/", views.learning_delete, name="learning_delete"),
    path("learning/<int:pk>/confirm/", views.learning_confirm, name="learning_confirm"),
    path("learning/<int:pk>/return/", views.learning_return, name="learning_return"),
    path("learning/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("people/<int:pk>/", views.card, name="card"),
    path("people/<int:pk>/route/", views.route, name="route"),
    path("people/<int:pk>/route/steps/", views.step_add, name="step_add"),
    path("people/<int:pk>/portfolio.<str:kind>", views.portfolio, name="portfolio"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
]
