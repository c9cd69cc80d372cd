from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bibliomo.contests import demo as contests_demo
from bibliomo.core.demo import Timeline
from bibliomo.core.mail import letters_muted
from bibliomo.directory import demo as directory_demo
from bibliomo.documents import demo as documents_demo
from bibliomo.events import demo as events_demo
from bibliomo.exchange import demo as exchange_demo
from bibliomo.plans import demo as plans_demo
from bibliomo.textbooks import demo as textbooks_demo


def build(today: date | None = None) -> dict:
    """The whole demo as of `today` (default: the local date): the user's 2024/2025 year with
    its own dates, the years in between, and the current year up to today."""
    timeline = Timeline.of(today)
    today = timeline.today
    cast = directory_demo.build()
    plans = plans_demo.build(cast, today)
    events = events_demo.build(cast, today)
    plans_demo.execute(cast, today)
    documents = documents_demo.build(cast, today)
    contests = contests_demo.build(cast, today)
    campaigns, exchanges, orders = [], [], []
    # Year by year: an exchange moves the holdings of its year, the next monitoring replaces them.
    for year in timeline.years:
        campaign = textbooks_demo.build(cast, year, today)
        campaigns.append(campaign)
        if year == timeline.years[0] or year == timeline.current:
            exchange, order = exchange_demo.build(cast, campaign, today)
            exchanges += [exchange] if exchange is not None else []
            orders += [order] if order is not None else []
    return {
        "cast": cast,
        "plans": plans,
        "events": events,
        "documents": documents,
        "contests": contests,
        "campaigns": campaigns,
        "exchanges": exchanges,
        "orders": orders,
    }


class Command(BaseCommand):
    help = "Создаёт (или дополняет) демонстрационное объединение городского округа Серпухов."

    def execute(self, *args, **options):
        with letters_muted():  # the demo's made-up work e-mails nobody
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        try:
            demo = build()
        except ValueError as error:
            raise CommandError(str(error)) from error
        cast = demo["cast"]
        association = cast.association
        schools = association.schools.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-объединение готово: {association.name}; школ: {schools}, "
                f"педагогов-библиотекарей: {len(cast.librarians)}."
            )
        )
        for plan in demo["plans"]:
            self.stdout.write(f"  {plan}: {plan.get_status_display()}")
        self.stdout.write(
            f"  Мероприятий: {len(demo['events'])}; документов в библиотеке: {demo['documents']}"
        )
        for contest in demo["contests"]:
            self.stdout.write(f"  Конкурс: {contest} — {contest.get_status_display()}")
        for campaign in demo["campaigns"]:
            self.stdout.write(f"  {campaign.name}: {campaign.submissions.count()} школ")
        for exchange in demo["exchanges"]:
            self.stdout.write(f"  {exchange.name}: перевозок {exchange.shipments.count()}")
        for order in demo["orders"]:
            self.stdout.write(f"  {order}: школ {order.schools.count()}")
        self.stdout.write("\nДемо-входы (адрес http://127.0.0.1:8000/app/):")
        for who, email, password in cast.logins:
            self.stdout.write(f"  {who:<60} {email:<28} пароль: {password}")
