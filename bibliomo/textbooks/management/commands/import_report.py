from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.core.errors import DomainError
from bibliomo.lib.provision_changes import changes
from bibliomo.lib.provision_workbook import WorkbookError, read_template_stamp
from bibliomo.lib.sheet_problems import grouped
from bibliomo.textbooks import report_files, selectors, services
from bibliomo.textbooks.models import Submission


class Command(BaseCommand):
    help = (
        "Загружает заполненный шаблон мониторинга: школу и кампанию берёт из файла. Выводит "
        "все ошибки (лист, строка, столбец) и завершается с кодом 1, или сохраняет данные и "
        "выводит, что изменилось. С --dry-run только проверяет."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить и показать изменения"
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="загрузить, даже если данные школы изменили после того, как шаблон был скачан",
        )

    def handle(self, *args, file: Path, dry_run: bool, overwrite: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Не удалось открыть файл {file}: {error.strerror}.") from None
        try:
            stamp = read_template_stamp(data, file.name)
            submission = self._submission(stamp)
            read = report_files.read_report(submission, data, file.name)
        except WorkbookError as error:
            # Every problem, not the first fifty: a terminal scrolls.
            raise CommandError("\n".join(grouped(error.problems))) from None
        self.stdout.write(f"{submission.school.short_name}, {submission.campaign.name}")
        for notice in grouped(read.notices):
            self.stdout.write(f"Внимание: {notice}")
        if dry_run:
            self._dry_run(submission, read)
            return
        try:
            changed = self._save(submission, read, overwrite)
        except services.NewerDataError as error:
            self._list(error.changes)
            raise CommandError(
                f"{error.message} Чтобы загрузить файл поверх, добавьте --overwrite."
            ) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self._list(changed)
        self.stdout.write(self.style.SUCCESS("Данные сохранены." if changed else "Изменений нет."))

    def _submission(self, stamp) -> Submission:
        submission = (
            Submission.objects.select_related("campaign", "school")
            .filter(campaign_id=stamp.campaign_id, school_id=stamp.school_id)
            .first()
        )
        if submission is None:
            raise CommandError(
                f"В Bibliomo нет отчёта школы «{stamp.school_name}» в кампании "
                f"«{stamp.campaign_name}», для которых сделан этот шаблон."
            )
        return submission

    def _save(self, submission, read, overwrite: bool) -> list[str]:
        try:
            return services.submission_upload(None, submission, read)
        except services.NewerDataError as error:
            if not overwrite:
                raise
            return services.submission_upload(
                None, submission, read, overwrite_version=error.version
            )

    def _dry_run(self, submission, read) -> None:
        before = selectors.school_rows(submission.school, submission.campaign.academic_year)
        diff = changes(before, (read.enrolment, read.lines, read.holdings, read.write_offs))
        self._list(diff)
        stale = read.data_version and read.data_version != report_files.current_version(submission)
        if stale and diff:
            self.stdout.write(
                "Внимание: данные школы изменили после того, как шаблон был скачан; загрузка "
                "потребует --overwrite."
            )
        if not submission.editable:
            self.stdout.write(
                "Внимание: отчёт уже сдан — сохранить данные можно, когда методист вернёт его."
            )
        self.stdout.write(self.style.SUCCESS("Проверка пройдена, ничего не сохранено (--dry-run)."))

    def _list(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(f"  {line}")
        if lines:
            self.stdout.write(f"Изменений: {len(lines)}.")
