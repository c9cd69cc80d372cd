import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from bibliomo.directory.models import Association, School
from bibliomo.lib.ru import parse_academic_year
from bibliomo.textbooks import exports, provision
from bibliomo.textbooks.models import Campaign, Submission


class Command(BaseCommand):
    help = (
        "Печатает обеспеченность учебниками: строка на школу × класс × предмет и итоги "
        "объединения (те же цифры, что на страницах)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", help="учебный год, например 2024/2025")
        parser.add_argument(
            "--freeze-accepted",
            action="store_true",
            help="зафиксировать принятые отчёты, принятые до появления фиксации (один раз после "
            "обновления): их цифры берутся из текущих данных школы на дату мониторинга",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="пересчитать заранее сохранённые итоги школ, данные которых изменились (после "
            "массового изменения не через Bibliomo, например SQL): иначе их посчитает первое "
            "открытие сводки",
        )
        parser.add_argument("--school", type=int, help="id школы")
        parser.add_argument("--association", type=int, help="id объединения (если их несколько)")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="файл для xlsx (по умолчанию stdout)")

    def handle(self, *args, year, school, association, format, output, **options):
        if options.get("freeze_accepted"):
            from bibliomo.textbooks.services import submission_freeze

            waiting = Submission.objects.filter(
                status=Submission.Status.ACCEPTED, frozen_at__isnull=True
            ).select_related("school", "campaign")
            count = 0
            for submission in waiting:
                submission_freeze(submission)
                count += 1
            self.stdout.write(f"Зафиксировано принятых отчётов: {count}.")
            return
        if options.get("refresh"):
            from bibliomo.textbooks.services import provision_refresh

            self.stdout.write(f"Пересчитано итогов школ: {provision_refresh()}.")
            return
        if not year:
            raise CommandError("Укажите --year, например 2024/2025.")
        try:
            start = parse_academic_year(year)
        except ValueError as error:
            raise CommandError(str(error)) from None
        target = self._association(association, school)
        campaign = Campaign.objects.filter(association=target, academic_year=start).first()
        if campaign is None:
            raise CommandError(f"Мониторинга за {year} учебный год нет.")
        scope = {"school_id": school} if school else {"association_id": target.pk}
        names = dict(School.objects.filter(association=target).values_list("pk", "short_name"))
        if format == "xlsx":
            heading = exports.Heading.of(
                f"Обеспеченность учебниками: {target.short_name}", target, start, campaign.as_of
            )
            data = exports.provision_xlsx(start, campaign.as_of, names, heading, **scope)
            if output:
                with open(output, "wb") as handle:
                    handle.write(data)
            else:
                sys.stdout.buffer.write(data)
            return
        writer = csv.writer(self.stdout, delimiter=";")
        writer.writerow(exports.LINE_COLUMNS)
        lines = provision.lines(start, campaign.as_of, **scope)
        writer.writerows(exports.line_rows(lines, names))
        if lines:
            writer.writerow(exports.line_total(lines))

    def _association(self, pk, school_pk) -> Association:
        if school_pk:
            school = School.objects.filter(pk=school_pk).select_related("association").first()
            if school is None:
                raise CommandError(f"Школа с id {school_pk} не найдена.")
            return school.association
        if pk:
            found = Association.objects.filter(pk=pk).first()
            if found is None:
                raise CommandError(f"Объединение с id {pk} не найдено.")
            return found
        associations = list(Association.objects.all()[:2])
        if len(associations) != 1:
            raise CommandError("Укажите --association.")
        return associations[0]
