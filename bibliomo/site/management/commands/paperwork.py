from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.directory.models import Association
from bibliomo.site.paperwork import write_gallery


class Command(BaseCommand):
    help = (
        "Пишет в папку по одному образцу каждого документа (план, отчёт, протокол, акт, заказы, "
        "сертификат, выгрузки Excel) из текущих данных и печатает их список."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="папка для образцов (создаётся, если её нет)")
        parser.add_argument(
            "--association", type=int, help="id объединения; по умолчанию — первое по названию"
        )

    def handle(self, *args, **options):
        associations = Association.objects.order_by("name")
        if options["association"]:
            associations = associations.filter(pk=options["association"])
        association = associations.first()
        if association is None:
            raise CommandError("Нет ни одного объединения: сначала выполните bibliomo demo.")
        outdir = Path(options["outdir"])
        samples = write_gallery(outdir, association)
        self.stdout.write(f"{association.name}: образцы документов в {outdir}")
        for sample in samples:
            if sample.content is None:
                self.stdout.write(f"  —  {sample.name:<20} {sample.title}: нет ({sample.missing})")
            else:
                self.stdout.write(f"  ✓  {sample.name:<20} {sample.title}")
