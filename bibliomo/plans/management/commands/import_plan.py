from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.core.errors import DomainError
from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.plans import services
from bibliomo.plans.reading import PlanReadError, read_plan


class Command(BaseCommand):
    help = "Загружает план работы ММО из файла Word (.docx) или текста (.txt)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="путь к файлу плана")
        parser.add_argument("--association", type=int, help="id объединения (если их несколько)")
        parser.add_argument(
            "--replace", action="store_true", help="заменить неутверждавшийся план того же года"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только показать, как понят план"
        )

    def handle(
        self, *args, file: Path, association: int | None, replace: bool, dry_run: bool, **options
    ):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Не удалось открыть файл {file}: {error.strerror}.") from None
        try:
            document = read_plan(data, file.name)
        except PlanReadError as error:
            raise CommandError(error.message) from None

        activities = document.activities
        self.stdout.write(
            f"План на {document.academic_year_label} учебный год: "
            f"{ru.plural(len(document.tasks), 'задача', 'задачи', 'задач')}, "
            f"{ru.plural(len(document.sections), 'раздел', 'раздела', 'разделов')}, "
            f"{ru.plural(len(activities), 'мероприятие', 'мероприятия', 'мероприятий')}."
        )
        for warning in document.warnings:
            self.stdout.write(self.style.WARNING(f"  проверьте: {warning}"))
        for activity in activities:
            for part in (activity.timing, activity.responsible):
                if part.flagged:
                    self.stdout.write(self.style.WARNING(f"  проверьте: {part.flag_reason}"))
        if dry_run:
            return

        target = self._association(association)
        try:
            plan = services.plan_import(None, target, document, replace=replace)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Сохранено: {plan} (id {plan.pk})."))

    def _association(self, pk: int | None) -> Association:
        if pk is not None:
            try:
                return Association.objects.get(pk=pk)
            except Association.DoesNotExist:
                raise CommandError(f"Объединение с id {pk} не найдено.") from None
        associations = list(Association.objects.all()[:2])
        if len(associations) != 1:
            raise CommandError(
                "Укажите объединение: --association ID (объединений не одно или нет ни одного)."
            )
        return associations[0]
