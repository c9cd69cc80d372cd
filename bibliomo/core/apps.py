from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bibliomo.core"
    label = "core"
    verbose_name = "Общее"

    def ready(self) -> None:
        from bibliomo.core import sqlite  # noqa: F401  (connects the signal)
