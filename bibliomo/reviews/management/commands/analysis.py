from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.core.params import academic_year_param
from bibliomo.directory.models import Association
from bibliomo.reviews import printing
from bibliomo.reviews.models import Review
from bibliomo.reviews.selectors import latest_review


class Command(BaseCommand):
    help = (
        "Пишет анализ работы ММО за учебный год в Word или PDF — тот же документ, что на сайте: "
        "последнюю версию анализа или, если его ещё не составляли, цифры без выводов."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="учебный год, например 2024/2025")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx", dest="kind")
        parser.add_argument("-o", "--output", type=Path, required=True, help="файл для записи")
        parser.add_argument("--association", type=int, help="id объединения (если их несколько)")

    def handle(self, *args, year: str, kind: str, output: Path, association: int | None, **opts):
        start = academic_year_param(year)
        if start is None:
            raise CommandError(f"Не понял учебный год «{year}»: укажите его так — 2024/2025.")
        found = self._association(association)
        review = latest_review(found, start)
        if review is None:  # nothing typed yet: the figures alone, not saved anywhere
            review = Review(association=found, academic_year=start)
        build = printing.review_docx if kind == "docx" else printing.review_pdf
        try:
            output.write_bytes(build(review))
        except OSError as error:
            raise CommandError(f"Не удалось записать {output}: {error.strerror}.") from None
        state = review.get_status_display() if review.pk else "не составлен, только цифры"
        self.stdout.write(self.style.SUCCESS(f"{review} ({state}) записан в {output}."))

    def _association(self, pk: int | None) -> Association:
        if pk is not None:
            try:
                return Association.objects.get(pk=pk)
            except Association.DoesNotExist:
                raise CommandError(f"Объединения с id {pk} нет.") from None
        associations = list(Association.objects.all()[:2])
        if len(associations) != 1:
            raise CommandError(
                "Укажите объединение: --association ID (объединений не одно или нет ни одного)."
            )
        return associations[0]
