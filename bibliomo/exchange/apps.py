from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bibliomo.exchange"
    label = "exchange"
    verbose_name = "Обмен учебниками и заказ"
