from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "bibliomo.documents"
    label = "documents"
    verbose_name = "Документы"
