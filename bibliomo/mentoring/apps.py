from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "bibliomo.mentoring"
    label = "mentoring"
    verbose_name = "Наставничество"
