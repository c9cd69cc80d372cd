from django.core.management.base import BaseCommand

from bibliomo.directory.models import Association
from bibliomo.exchange.shipment_services import returns_remind


class Command(BaseCommand):
    help = (
        "Напоминает обеим школам о возврате учебников, взятых по обмену: просроченные и со "
        "сроком в ближайшие две недели. Запускайте раз в день (cron или таймер systemd); одной "
        "перевозке напоминание приходит не чаще раза в неделю."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-days", type=int, default=7)

    def handle(self, *args, quiet_days, **options):
        total = 0
        for association in Association.objects.order_by("pk"):
            total += returns_remind(None, association, quiet_days=quiet_days)
        self.stdout.write(f"Отправлено напоминаний: {total}")
