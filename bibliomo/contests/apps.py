from django.apps import AppConfig


class ContestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bibliomo.contests"
    verbose_name = "Конкурсы"

    def ready(self) -> None:
        from bibliomo.contests import signals  # noqa: F401 - connects the receivers
