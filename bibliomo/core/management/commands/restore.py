from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bibliomo.core import backup
from bibliomo.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Восстанавливает резервную копию (архив команды backup) в ПУСТУЮ базу и пустой "
        "каталог файлов и сверяет опись: контрольные суммы дампа и каждого файла, число "
        "строк каждой таблицы. По умолчанию — в базу и MEDIA_ROOT из настроек; для учебного "
        "восстановления укажите другую базу и каталог."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="архив резервной копии")
        parser.add_argument(
            "--database-url",
            help="куда восстановить базу (по умолчанию DATABASE_URL из настроек)",
        )
        parser.add_argument(
            "--media-root", help="куда восстановить файлы (по умолчанию MEDIA_ROOT)"
        )

    def handle(self, *args, **options):
        if options["database_url"]:
            database = dj_database_url.parse(options["database_url"])
        else:
            database = dict(settings.DATABASES["default"])
            connections.close_all()  # the restore writes the file/database itself
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            backup.backup_restore(
                Path(options["archive"]), database, media_root, say=self.stdout.write
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS("Восстановление завершено, опись сверена."))
