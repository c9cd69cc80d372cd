from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "bibliomo.reviews"
    label = "reviews"
    verbose_name = "Анализ года"
