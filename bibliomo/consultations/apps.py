from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "bibliomo.consultations"
    label = "consultations"
    verbose_name = "Консультации"
