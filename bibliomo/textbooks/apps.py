from django.apps import AppConfig


class TextbooksConfig(AppConfig):
    name = "bibliomo.textbooks"
    label = "textbooks"
    verbose_name = "Учебники"
