from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bibliomo.core.mail import letters_muted
from bibliomo.demo import consultations as consultations_demo
from bibliomo.demo import contests as contests_demo
from bibliomo.demo import directory as directory_demo
from bibliomo.demo import documents as documents_demo
from bibliomo.demo import events as events_demo
from bibliomo.demo import exchange as exchange_demo
from bibliomo.demo import groups as groups_demo
from bibliomo.demo import growth as growth_demo
from bibliomo.demo import mentoring as mentoring_demo
from bibliomo.demo import plans as plans_demo
from bibliomo.demo import practices as practices_demo
from bibliomo.demo import reviews as reviews_demo
from bibliomo.demo import textbooks as textbooks_demo
from bibliomo.demo.timeline import Timeline


def build(today: date | None = None) -> dict:
    """The whole demo as of `today` (default: the local date): the user's 2024/2025 year with
    its own dates, the years in between, and the current year up to today."""
    timeline = Timeline.of(today)
    today = timeline.today
    cast = directory_demo.build()
    # The analyses are written in May, before the plan is rolled over: it takes their tasks.
    reviews_demo.draft(cast, today)
    plans = plans_demo.build(cast, today)
    events = events_demo.build(cast, today)
    documents = documents_demo.build(cast, today)
    pairs = mentoring_demo.build(cast, today)
    groups = groups_demo.build(cast, today)
    practices = practices_demo.build(cast, today)
    questions = consultations_demo.build(cast, today)
    learning = growth_demo.build(cast, today)
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
    plans_demo.execute(cast, today)  # after the records its reports quote
    reviews_demo.approve(cast, today)  # approval freezes the year's figures: after all of them
    return {
        "cast": cast,
        "plans": plans,
        "events": events,
        "documents": documents,
        "pairs": pairs,
        "groups": groups,
        "practices": practices,
        "questions": questions,
        "learning": learning,
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
        self.stdout.write(
            f"  Пар наставничества: {demo['pairs']}; творческих групп: {demo['groups']}; "
            f"практик в банке: {demo['practices']}"
        )
        self.stdout.write(
            f"  Вопросов методисту: {demo['questions']}; записей о повышении квалификации: "
            f"{demo['learning']}"
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
