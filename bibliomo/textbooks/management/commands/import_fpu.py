from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.core import uploads
from bibliomo.core.errors import DomainError
from bibliomo.lib.filetypes import FileRejected, check_archive
from bibliomo.lib.fpu import FpuFileError, read_fpu
from bibliomo.textbooks import catalogue_services


class Command(BaseCommand):
    help = (
        "Загружает федеральный перечень учебников (XLSX, ODS или CSV): показывает, что "
        "изменится, и загружает — как страница «Загрузка федерального перечня»."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Только показать, что изменится."
        )
        parser.add_argument(
            "--amendment",
            action="store_true",
            help="Изменяющий приказ: добавить и изменить учебники, никого не исключать.",
        )
        parser.add_argument(
            "--full-list",
            action="store_true",
            help="Это полный новый перечень: исключить учебники, которых в нём нет, даже если "
            "их больше десятой части.",
        )

    def handle(self, *args, file: Path, dry_run: bool, amendment: bool, full_list: bool, **_):
        try:
            if file.stat().st_size > uploads.limit_bytes("catalogue"):
                raise CommandError(uploads.size_error("catalogue", file.stat().st_size))
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Не удалось открыть файл {file}: {error.strerror}.") from None
        try:
            check_archive(data, file.name, uploads.archive_limits())
            entries = read_fpu(data, file.name)
        except FileRejected as error:
            raise CommandError(error.message) from None
        except FpuFileError as error:
            raise CommandError("\n".join(error.messages)) from None
        preview = catalogue_services.catalogue_preview(entries, amendment=amendment)
        for line in preview.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Проверка без записи (--dry-run): перечень не изменён.")
            return
        if preview.needs_full_list and not full_list:
            raise CommandError(
                "Перечень не загружен, ничего не изменено. Изменяющий приказ загрузите с "
                "--amendment; полный новый перечень — с --full-list."
            )
        try:
            result = catalogue_services.catalogue_import(
                None, entries, amendment=amendment, full_list=full_list
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"Перечень загружен: {len(entries)} учебников. {result.summary()}")
        )
