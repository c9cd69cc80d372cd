from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "bibliomo.events"
    label = "events"
    verbose_name = "Мероприятия"
