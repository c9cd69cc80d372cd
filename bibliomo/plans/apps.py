from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bibliomo.plans"
    label = "plans"
    verbose_name = "План работы"
