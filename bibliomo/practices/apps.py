from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "bibliomo.practices"
    label = "practices"
    verbose_name = "Банк практик"
