"""The Buenas Prácticas spreadsheet editors import and export in the admin (``portal.core.imports``).

Columns with Spanish names (also read with accents, in capitals, in any order); a category and an institution
by slug or name (an institution also by its acronym), departments by ubigeo or name separated by «;», status and
scope by value or Spanish label («Publicada», «Nacional»).
"""

from django.utils.translation import gettext_lazy as _

from migration.models import Department
from migration.resources import INEI_DEPARTMENT_NAMES, UNKNOWN_DEPARTMENT
from portal.core.imports.resources import Column, SpreadsheetModelResource
from portal.core.imports.widgets import ChoiceWidget, CodesWidget, CodeWidget, DateTimeWidget, WholeNumberWidget

from .models import Category, Institution, Practice


class PracticeResource(SpreadsheetModelResource):
    """CSV/XLSX columns with Spanish names; departments as INEI ubigeo codes (or names) separated by ';'."""

    slug = Column(
        attribute="slug",
        column_name="slug",
        label=_("dirección web (parte final)"),
        headers=("dirección web", "direccion"),
    )
    title = Column(attribute="title", column_name="titulo", headers=("título de la práctica", "práctica", "nombre"))
    summary = Column(attribute="summary", column_name="resumen")
    body = Column(attribute="body", column_name="texto", headers=("descripción", "texto completo"))
    award_year = Column(
        attribute="award_year",
        column_name="anio",
        widget=WholeNumberWidget(grouped=False),
        headers=("año", "año del premio", "edición del premio"),
    )
    category = Column(
        attribute="category",
        column_name="categoria",
        widget=CodeWidget(
            Category,
            "slug",
            _("No existe una categoría «%(value)s» (se indica su nombre o su slug)."),
            name_fields=("name",),
        ),
    )
    institution = Column(
        attribute="institution",
        column_name="institucion",
        widget=CodeWidget(
            Institution,
            "slug",
            _("No existe una institución «%(value)s» (se indica su nombre, su sigla o su slug)."),
            name_fields=("name", "acronym"),
        ),
        headers=("entidad",),
    )
    programme = Column(attribute="programme", column_name="programa", headers=("proyecto",))
    scope = Column(attribute="scope", column_name="alcance", widget=ChoiceWidget(Practice.Scope.choices))
    departments = Column(
        attribute="departments",
        column_name="ubigeos",
        widget=CodesWidget(
            Department,
            "ubigeo",
            ";",
            UNKNOWN_DEPARTMENT,
            digits=2,
            name_fields=("name",),
            aliases=INEI_DEPARTMENT_NAMES,
        ),
        label=_("departamentos (códigos ubigeo o nombres, separados por ;)"),
        headers=("departamentos", "ubigeo", "regiones"),
    )
    status = Column(attribute="status", column_name="estado", widget=ChoiceWidget(Practice.Status.choices))
    published_at = Column(
        attribute="published_at",
        column_name="publicacion",
        widget=DateTimeWidget(),
        headers=("fecha de publicación", "publicación"),
    )

    class Meta:
        model = Practice
        fields = (
            "slug",
            "title",
            "summary",
            "body",
            "award_year",
            "category",
            "institution",
            "programme",
            "scope",
            "departments",
            "status",
            "published_at",
        )
        export_order = fields
        import_id_fields = ("slug",)
