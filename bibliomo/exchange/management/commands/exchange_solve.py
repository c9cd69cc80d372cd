"""`bibliomo exchange_solve INSTANCE.json` — plan a textbook exchange from a JSON file.

Reads the instance (the contract of bibliomo.lib.redistribution.parse_instance; "-" reads
stdin), prints the plan as JSON. Touches no database.
"""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from bibliomo.lib.redistribution import InstanceError, parse_instance, solution_to_json, solve


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"нужно целое число ≥ 0, а не «{value}»")
    return number


class Command(BaseCommand):
    help = (
        "Составляет план обмена учебниками между школами по файлу JSON (излишки и нехватка) "
        "и печатает его в JSON: сначала больше экземпляров, затем меньше перевозок, затем "
        "меньше километров."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("instance", help="файл JSON с данными обмена («-» — читать stdin)")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=10.0,
            metavar="СЕКУНДЫ",
            help="время на поиск, секунд (по умолчанию 10); тот же результат при том же зерне, "
            "если поиск не упёрся в это время",
        )
        parser.add_argument(
            "--min-batch",
            type=_non_negative,
            default=0,
            metavar="N",
            help="минимальная партия: строка меньше N экземпляров допустима, только если "
            "закрывает всю потребность получателя",
        )
        parser.add_argument(
            "--max-shipments",
            type=_non_negative,
            default=None,
            metavar="K",
            help="не больше K перевозок (пар школ «откуда — куда»)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            metavar="ЗЕРНО",
            help="зерно случайного поиска (по умолчанию 0)",
        )

    def handle(self, *args, instance, time_limit, min_batch, max_shipments, seed, **options):
        if time_limit <= 0:
            raise CommandError("Время на поиск должно быть положительным числом секунд.")
        data = self._read(instance)
        try:
            parsed = parse_instance(data)
        except InstanceError as error:
            raise CommandError(f"Ошибки в данных обмена:\n{error}") from None
        solution = solve(
            parsed,
            time_limit=time_limit,
            min_batch=min_batch,
            max_shipments=max_shipments,
            seed=seed,
        )
        self.stdout.write(json.dumps(solution_to_json(solution), ensure_ascii=False, indent=2))

    def _read(self, path: str):
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except FileNotFoundError:
            raise CommandError(f"Не удалось прочитать файл «{path}»: файла нет.") from None
        except IsADirectoryError:
            raise CommandError(f"Не удалось прочитать файл «{path}»: это папка.") from None
        except PermissionError:
            raise CommandError(f"Не удалось прочитать файл «{path}»: нет доступа.") from None
        except OSError as error:
            raise CommandError(
                f"Не удалось прочитать файл «{path}»: ошибка ввода-вывода ({error.errno})."
            ) from None
        except UnicodeDecodeError:
            raise CommandError(f"Файл «{path}» не в кодировке UTF-8.") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"Файл «{path}» — не JSON: строка {error.lineno}, столбец {error.colno}."
            ) from None
