from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bibliomo.core import backup
from bibliomo.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Записывает резервную копию в один архив: база данных (PostgreSQL — pg_dump -Fc, "
        "SQLite — копия онлайн), все загруженные файлы (MEDIA_ROOT) и опись manifest.json "
        "с числом строк каждой таблицы и контрольными суммами SHA-256. Запускайте каждую ночь."
    )

    def add_arguments(self, parser):
        parser.add_argument("outfile", help="куда записать архив, например backup.tar")

    def handle(self, *args, **options):
        outfile = Path(options["outfile"])
        try:
            manifest = backup.backup_create(outfile, Path(settings.MEDIA_ROOT))
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(backup.backup_summary(manifest, outfile))
