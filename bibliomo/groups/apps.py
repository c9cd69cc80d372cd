from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "bibliomo.groups"
    label = "groups"
    verbose_name = "Творческие группы"
