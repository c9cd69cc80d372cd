from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bibliomo.core"
    label = "core"
    verbose_name = "Общее"
