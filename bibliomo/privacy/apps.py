from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bibliomo.privacy"
    label = "privacy"
    verbose_name = "Персональные данные"
