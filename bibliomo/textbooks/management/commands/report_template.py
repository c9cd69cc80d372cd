from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.textbooks import report_files
from bibliomo.textbooks.models import Submission


class Command(BaseCommand):
    help = (
        "Записывает шаблон мониторинга школы с её данными — тот же файл, что скачивается на "
        "странице отчёта."
    )

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int, help="номер отчёта школы (из адреса страницы)")
        parser.add_argument("-o", "--output", type=Path, required=True, help="куда записать .xlsx")

    def handle(self, *args, report_id: int, output: Path, **options):
        submission = (
            Submission.objects.select_related("campaign", "school").filter(pk=report_id).first()
        )
        if submission is None:
            raise CommandError(f"Отчёта № {report_id} нет.")
        try:
            output.write_bytes(report_files.template_bytes(submission))
        except OSError as error:
            raise CommandError(f"Не удалось записать файл {output}: {error.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Шаблон записан в {output}: {submission.school.short_name}, "
                f"{submission.campaign.name}."
            )
        )
