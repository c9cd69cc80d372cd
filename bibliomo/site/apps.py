from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the house: the home page, the menu, the demo and the paperwork gallery —
    the only app that may know every other app."""

    name = "bibliomo.site"
    label = "site"
    verbose_name = "Оболочка"
