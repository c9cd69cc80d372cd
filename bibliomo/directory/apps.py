from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "bibliomo.directory"
    label = "directory"
    verbose_name = "Справочник: школы и люди"
