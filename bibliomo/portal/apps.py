from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bibliomo.portal"
    label = "portal"
    verbose_name = "Портал"
