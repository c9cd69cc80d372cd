from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "bibliomo.growth"
    label = "growth"
    verbose_name = "Профессиональный рост"
