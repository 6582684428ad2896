"""Load the portal's source data shipped in ``data/`` (see data/README.md).

Idempotent: rows are only created when missing, so a second run creates nothing
and never overwrites what an editor changed in the admin.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from migration.models import CensusEdition, Department, DepartmentFigures
from portal.models import ContentBlock

DATA_DIR = Path(settings.BASE_DIR) / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_block(path: Path) -> tuple[str, str]:
    """A narrative file: first line '# Título', then the Markdown body."""
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    return first.removeprefix("#").strip(), body.strip()


class Command(BaseCommand):
    help = "Carga los datos de origen del portal (censo, narrativa). Idempotente."

    def handle(self, *args, **options):
        with transaction.atomic():
            editions, figures = self.load_editions()
            created = {
                "ediciones del censo": editions,
                "cifras por departamento": figures,
                "bloques de texto": self.load_blocks(),
            }
        for label, count in created.items():
            self.stdout.write(f"{label}: {count} nuevos")
        self.stdout.write(self.style.SUCCESS("Datos del portal cargados."))

    def load_editions(self) -> tuple[int, int]:
        editions = figures = 0
        for row in read_csv(DATA_DIR / "editions.csv"):
            edition, new = CensusEdition.objects.get_or_create(
                year=int(row["year"]),
                defaults={
                    "title": row["title"],
                    "source": row["source"],
                    "compiler": row["compiler"],
                    "attribution": row["attribution"],
                    "national_population": int(row["national_population"]),
                    "born_abroad_share": Decimal(row["born_abroad_share"]),
                },
            )
            editions += new
            figures += self.load_figures(edition, DATA_DIR / row["departments_file"])
        return editions, figures

    def load_figures(self, edition: CensusEdition, path: Path) -> int:
        created = 0
        for row in read_csv(path):
            department, _ = Department.objects.get_or_create(
                ubigeo=row["ubigeo"], defaults={"name": row["name"], "slug": slugify(row["name"])}
            )
            population_column = next(key for key in row if key.startswith("population"))
            figures = DepartmentFigures(
                edition=edition,
                department=department,
                population=int(row[population_column]),
                immigrants=int(row["immigrants"]),
                emigrants=int(row["emigrants"]),
            )
            if not DepartmentFigures.objects.filter(edition=edition, department=department).exists():
                figures.full_clean()
                figures.save()
                created += 1
        return created

    def load_blocks(self) -> int:
        created = 0
        for path in sorted((DATA_DIR / "narrative").glob("*.md")):
            title, body = read_block(path)
            created += ContentBlock.objects.get_or_create(key=path.stem, defaults={"title": title, "body": body})[1]
        return created
