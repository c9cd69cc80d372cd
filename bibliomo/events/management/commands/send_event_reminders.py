from django.core.management.base import BaseCommand

from bibliomo.events import services


class Command(BaseCommand):
    help = (
        "Ставит в очередь напоминания о завтрашних мероприятиях и просьбы об отзыве "
        "за прошедшую неделю. Запускайте раз в час (cron или таймер systemd)."
    )

    def handle(self, *args, **options):
        reminders, feedback = services.reminders_queue()
        self.stdout.write(f"Напоминаний: {reminders}; просьб об отзыве: {feedback}.")
