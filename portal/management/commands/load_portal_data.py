"""Load the portal's source data shipped in ``data/`` (see data/README.md).

Idempotent: rows are only created when missing, so a second run creates nothing
and never overwrites what an editor changed in the admin.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from migration.consistency import check_census
from migration.models import (
    CensusEdition,
    CensusPopulation,
    Department,
    DepartmentFigures,
    DepartmentPart,
    PopulationCensus,
    RecentMigration,
    census_total_error,
    recent_migration_balance_error,
)
from portal.core.models import ContentBlock
from practices.models import Category, Institution, KeyFigure, Practice, publication_time

DATA_DIR = Path(settings.BASE_DIR) / "data"

# The source of each recent-migration figure, as data/README.md attributes the table, and its English version (the
# censuses' sources are in censuses.csv).
RECENT_MIGRATION_SOURCE = (
    "INEI – Censos Nacionales 2007: XI de Población y VI de Vivienda (Compendio Estadístico, cuadro 3.43)"
)
RECENT_MIGRATION_SOURCE_EN = (
    "INEI – 2007 National Censuses: XI Population and VI Housing Census (Statistical Compendium, table 3.43)"
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_practice_text(path: Path) -> dict[str, str]:
    """A practice file: '---', 'key: value' lines (summary, and title in English files), '---', the Markdown body."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    fields = {"body": body.strip()}
    for line in front.strip().splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip().strip('"')
    return fields


def read_block(path: Path) -> tuple[str, str]:
    """A narrative file: first line '# Título', then the Markdown body."""
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    return first.removeprefix("#").strip(), body.strip()


def optional_int(text: str) -> int | None:
    return int(text) if text else None


def optional_date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def origin_figures(row: dict[str, str], census: PopulationCensus) -> dict[str, int | None]:
    """The origin counts of a department (or part) in a census that has them (``census_2025_by_department.csv``:
    population aged 5+, born in the department, lived in it five years before the census)."""
    if not census.has_origin_figures:
        return {}
    return {
        "population_5plus": int(row[f"population_5plus_{census.year}"]),
        "born_here": int(row[f"born_in_department_{census.year}"]),
        "lived_here_before": int(row[f"lived_in_department_{census.earlier_year}"]),
    }


def fill_blanks(instance, values: dict[str, str]) -> bool:
    """Give ``instance`` the ``values`` of the fields that are still empty (an editor's text is never replaced)."""
    missing = {field: value for field, value in values.items() if value and not getattr(instance, field)}
    for field, value in missing.items():
        setattr(instance, field, value)
    if missing:
        instance.full_clean()
        instance.save(update_fields=list(missing))
    return bool(missing)


class Command(BaseCommand):
    help = "Carga los datos de origen del portal (censo, narrativa). Idempotente."

    def handle(self, *args, **options):
        with transaction.atomic():
            editions, figures = self.load_editions()
            created = {
                "ediciones del censo": editions,
                "cifras por departamento": figures,
                **self.load_population_history(),
                "bloques de texto": self.load_blocks(),
                "buenas prácticas": self.load_practices(),
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
                    "attribution_en": row["attribution_en"],
                    "national_population": int(row["national_population"]),
                    "born_abroad_share": Decimal(row["born_abroad_share"]),
                    "status": CensusEdition.Status.PUBLISHED,  # the source data are the published editions
                },
            )
            editions += new
            if edition.attribution == row["attribution"]:  # the English version of this very text
                fill_blanks(edition, {"attribution_en": row["attribution_en"]})
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

    def load_population_history(self) -> dict[str, int]:
        """The population censuses (``censuses.csv``: each with the file of its departments' figures and, where INEI
        publishes a department in parts, the file of the parts), their figures and the recent migration."""
        censuses, created = {}, {"censos de población": 0, "población por censo": 0, "partes de departamentos": 0}
        departments = {department.ubigeo: department for department in Department.objects.all()}
        completed, sources = set(), set()
        existing = set(CensusPopulation.objects.values_list("census_id", "department_id"))
        for row in read_csv(DATA_DIR / "censuses.csv"):
            census = PopulationCensus.objects.filter(year=int(row["year"])).first()
            if census is None:
                census = PopulationCensus(
                    year=int(row["year"]),
                    census_date=datetime.date.fromisoformat(row["census_date"]),
                    fieldwork_start=optional_date(row["fieldwork_start"]),
                    fieldwork_end=optional_date(row["fieldwork_end"]),
                    enumeration=row["enumeration"],
                    national_population=int(row["national_population"]),
                    national_population_5plus=optional_int(row["national_population_5plus"]),
                    born_abroad=optional_int(row["born_abroad"]),
                    lived_abroad_before=optional_int(row["lived_abroad_before"]),
                    source=row["source"],
                    status=PopulationCensus.Status.PUBLISHED,  # the source data are published censuses
                )
                census.full_clean()
                census.save()
                created["censos de población"] += 1
            censuses[census.year] = census
            sources.add((row["figures_source"], row["figures_source_en"]))
            for figures in read_csv(DATA_DIR / row["departments_file"]):
                department = departments.get(figures["ubigeo"])
                if department is None:
                    department = departments[figures["ubigeo"]] = Department.objects.create(
                        ubigeo=figures["ubigeo"], name=figures["name"], slug=slugify(figures["name"])
                    )
                if (census.pk, department.pk) in existing:
                    continue
                figure = CensusPopulation(
                    census=census,
                    department=department,
                    population=int(figures[f"population_{census.year}"]),
                    **origin_figures(figures, census),
                    inei_note=figures.get("inei_note_1") == "yes",
                    source=row["figures_source"],
                    source_en=row["figures_source_en"],
                )
                figure.full_clean()
                figure.save()
                created["población por censo"] += 1
                completed.add(census)
            if row["parts_file"] and not census.parts.exists():
                for part in read_csv(DATA_DIR / row["parts_file"]):
                    unit = DepartmentPart(
                        census=census,
                        department=departments[part["ubigeo"]],
                        name=part["name"],
                        name_en=part["name_en"],
                        description=part["description"],
                        description_en=part["description_en"],
                        population=int(part[f"population_{census.year}"]),
                        **origin_figures(part, census),
                    )
                    unit.full_clean()
                    unit.save()
                    created["partes de departamentos"] += 1
                completed.add(census)
        for census in completed:
            error = census_total_error(census, list(census.populations.values_list("population", flat=True)))
            problems = [error] if error else check_census(census).problems
            if problems:
                raise CommandError(" ".join(problems))
        created["migración reciente"] = self.load_recent_migration(censuses, departments)
        # Rows loaded before the English versions existed get them, when their Spanish text is still the shipped one.
        for model, spanish, english in (
            *((CensusPopulation, spanish, english) for spanish, english in sources),
            (RecentMigration, RECENT_MIGRATION_SOURCE, RECENT_MIGRATION_SOURCE_EN),
        ):
            for row in model.objects.filter(source=spanish, source_en=""):
                fill_blanks(row, {"source_en": english})
        return created

    def load_recent_migration(self, censuses, departments) -> int:
        census, created = censuses[2007], 0
        for row in read_csv(DATA_DIR / "recent_migration_2002_2007.csv"):
            if RecentMigration.objects.filter(census=census, name=row["name"]).exists():
                continue
            area = RecentMigration(
                census=census,
                name=row["name"],
                population_5plus=int(row["population_enumerated_5plus"]),
                native_total=int(row["native_population_total"]),
                native_present=int(row["native_population_present"]),
                immigrants=int(row["immigrants_2002_2007"]),
                emigrants=int(row["emigrants_2002_2007"]),
                source=RECENT_MIGRATION_SOURCE,
                source_en=RECENT_MIGRATION_SOURCE_EN,
            )
            area.full_clean()
            area.save()
            area.departments.set([departments[code] for code in row["ubigeo"].split("+")])
            created += 1
        if created:
            error = recent_migration_balance_error(RecentMigration.objects.filter(census=census))
            if error:
                raise CommandError(error)
        return created

    def load_blocks(self) -> int:
        created = 0
        for path in sorted((DATA_DIR / "narrative").glob("*.md")):
            title, body = read_block(path)
            block, new = ContentBlock.objects.get_or_create(key=path.stem, defaults={"title": title, "body": body})
            created += new
            english = path.parent / "en" / path.name
            if english.exists():
                title_en, body_en = read_block(english)
                fill_blanks(block, {"title_en": title_en, "body_en": body_en})
        return created

    def load_practices(self) -> int:
        categories = {}
        for row in read_csv(DATA_DIR / "categories.csv"):
            categories[row["name"]], _ = Category.objects.get_or_create(
                slug=slugify(row["name"]), defaults={"name": row["name"], "description": row["description"]}
            )
            fill_blanks(categories[row["name"]], {"name_en": row["name_en"], "description_en": row["description_en"]})
        institutions = {}
        for row in read_csv(DATA_DIR / "institutions.csv"):
            institutions[row["acronym"]], _ = Institution.objects.get_or_create(
                slug=slugify(row["acronym"]),
                defaults={"name": row["name"], "acronym": row["acronym"], "website": row["website"]},
            )
        key_figures = read_csv(DATA_DIR / "practice_key_figures.csv")
        created = 0
        for row in read_csv(DATA_DIR / "practices_2009.csv"):
            english = read_practice_text(DATA_DIR / "practices" / "en" / f"{row['slug']}.md")
            english_fields = {
                "title_en": english["title"],
                "summary_en": english["summary"],
                "body_en": english["body"],
                "source": row["source"],
                "source_en": row["source_en"],
            }
            existing = Practice.objects.filter(slug=row["slug"]).first()
            if existing is not None:
                fill_blanks(existing, english_fields)
                for figure in existing.key_figures.all():
                    labels = [
                        f["label_en"] for f in key_figures if f["slug"] == row["slug"] and f["label"] == figure.label
                    ]
                    fill_blanks(figure, {"label_en": labels[0] if labels else ""})
                continue
            spanish = read_practice_text(DATA_DIR / "practices" / f"{row['slug']}.md")
            started = datetime.date.fromisoformat(f"{row['started']}-01") if row["started"] else None
            practice = Practice(
                slug=row["slug"],
                title=row["title"],
                summary=spanish["summary"],
                body=spanish["body"],
                **english_fields,
                award_year=int(row["award_year"]),
                category=categories[row["category"]],
                institution=institutions[row["institution_acronym"]],
                programme=row["program"],
                scope=row["scope"],
                started_on=started,
                status=Practice.Status.PUBLISHED,
                published_at=publication_time(),
            )
            practice.full_clean()
            practice.save()
            ubigeos = [code for code in row["department_ubigeos"].split(";") if code]
            practice.departments.set(Department.objects.filter(ubigeo__in=ubigeos))
            for figure in (figure for figure in key_figures if figure["slug"] == row["slug"]):
                KeyFigure.objects.create(
                    practice=practice,
                    order=int(figure["order"]),
                    unit=figure["unit"],
                    value=Decimal(figure["value"]),
                    label=figure["label"],
                    label_en=figure["label_en"],
                )
            created += 1
        return created
