from django.apps import AppConfig


class ContestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bibliomo.contests"
    verbose_name = "Конкурсы"
