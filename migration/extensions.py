"""What other apps add to the departments' pages, registered in their ``AppConfig.ready()``.

``migration`` never imports another app: ``practices`` (which may import ``migration``) adds here the column of
practices per department to the table of ``/migracion/`` and the practices section of each department's profile.

- ``DepartmentColumn``: ``column()`` makes the django-tables2 column (it draws and downloads the value;
  ``?sort=<name>`` sorts by it), ``values()`` gives ``{department id: value}`` for every department.
- ``ProfileSection``: ``template`` is drawn inside the profile's cached part, with the profile's context plus
  ``context(department)``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentColumn:
    name: str
    column: Callable[[], object]
    values: Callable[[], Mapping[int, object]]


@dataclass(frozen=True)
class ProfileSection:
    template: str
    context: Callable[[object], Mapping[str, object]]


DEPARTMENT_COLUMNS: list[DepartmentColumn] = []
PROFILE_SECTIONS: list[ProfileSection] = []


def register_department_column(column: DepartmentColumn) -> None:
    DEPARTMENT_COLUMNS.append(column)


def register_profile_section(section: ProfileSection) -> None:
    PROFILE_SECTIONS.append(section)
