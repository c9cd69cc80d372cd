from django.conf import settings
from django.core.management.base import BaseCommand

from bibliomo.lib import ru
from bibliomo.privacy import services


def _days(n: int) -> str:
    return ru.plural(n, "день", "дня", "дней")


class Command(BaseCommand):
    help = (
        "Удаляет записи журнала изменений старше AUDIT_RETENTION_DAYS дней и фоновые задачи "
        "(с файлами результатов и записями очереди) старше JOB_RETENTION_DAYS дней, гостей "
        "мероприятий — через GUEST_RETENTION_DAYS дней после мероприятия. "
        "Запускайте раз в сутки."
    )

    def handle(self, *args, **options):
        result = services.personal_data_prune()
        self.stdout.write(
            f"Журнал изменений (хранится {_days(settings.AUDIT_RETENTION_DAYS)}): удалено "
            f"{ru.plural(result.audit_entries, 'запись', 'записи', 'записей')}. "
            f"Фоновые задачи (хранятся {_days(settings.JOB_RETENTION_DAYS)}): удалено "
            f"{ru.plural(result.jobs, 'задача', 'задачи', 'задач')}, "
            f"{ru.plural(result.job_files, 'файл', 'файла', 'файлов')} результатов, "
            f"{ru.plural(result.task_results, 'запись', 'записи', 'записей')} очереди. "
            f"Гости мероприятий (хранятся {_days(settings.GUEST_RETENTION_DAYS)} после "
            f"мероприятия): удалено {ru.plural(result.guests, 'запись', 'записи', 'записей')}."
        )
