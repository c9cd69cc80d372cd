from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.lib.fpu import FpuFileError, read_fpu
from bibliomo.textbooks import services


class Command(BaseCommand):
    help = "Загружает федеральный перечень учебников из XLSX или CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            entries = read_fpu(file.read_bytes(), file.name)
        except OSError as error:
            raise CommandError(f"Не удалось открыть файл {file}: {error.strerror}.") from None
        except FpuFileError as error:
            raise CommandError("\n".join(error.messages)) from None
        report = services.catalogue_import(None, entries)
        self.stdout.write(
            self.style.SUCCESS(f"Перечень загружен: {len(entries)} учебников. {report.summary()}")
        )
        if report.excluded:
            self.stdout.write("Исключены (укажите предельный срок): " + ", ".join(report.excluded))
