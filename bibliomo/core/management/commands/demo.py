from django.core.management.base import BaseCommand

from bibliomo.core.mail import letters_muted
from bibliomo.directory import demo as directory_demo
from bibliomo.documents import demo as documents_demo
from bibliomo.events import demo as events_demo
from bibliomo.exchange import demo as exchange_demo
from bibliomo.plans import demo as plans_demo
from bibliomo.textbooks import demo as textbooks_demo


class Command(BaseCommand):
    help = "Создаёт (или дополняет) демонстрационное объединение городского округа Серпухов."

    def execute(self, *args, **options):
        with letters_muted():  # the demo's made-up work e-mails nobody
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        cast = directory_demo.build()
        plans = plans_demo.build(cast)
        events = events_demo.build(cast)
        documents = documents_demo.build(cast)
        campaign = textbooks_demo.build(cast)
        exchange, order = exchange_demo.build(cast, campaign)
        association = cast.association
        schools = association.schools.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-объединение готово: {association.name}; школ: {schools}, "
                f"педагогов-библиотекарей: {len(cast.librarians)}."
            )
        )
        for plan in plans:
            self.stdout.write(f"  {plan}: {plan.get_status_display()}")
        self.stdout.write(f"  Мероприятий: {len(events)}; документов в библиотеке: {documents}")
        self.stdout.write(f"  {campaign.name}: {campaign.submissions.count()} школ")
        if exchange is not None:
            self.stdout.write(f"  {exchange.name}: перевозок {exchange.shipments.count()}")
        if order is not None:
            self.stdout.write(f"  {order}: школ {order.schools.count()}")
        self.stdout.write("\nДемо-входы (адрес http://127.0.0.1:8000/app/):")
        for who, email, password in cast.logins:
            self.stdout.write(f"  {who:<60} {email:<28} пароль: {password}")
