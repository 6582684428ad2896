"""Importing editors' spreadsheets in the admin (django-import-export, extended through its hooks).

One idea per module:

- ``formats``: the uploaded bytes as sheets — CSV as Excel saves it (encodings, separators) or XLSX; limits.
- ``sheets``: the table in a sheet — header below titles, names compared without case or accents, notes,
  empty and total rows.
- ``widgets``: a cell as a value — numbers read as ``portal.core.numbers.read_number`` reads them, rows of
  other tables by code or by name.
- ``resources``: ``Column`` and ``SpreadsheetModelResource`` — the library's resource: the table found, the
  file's stored rows read in one query, errors on their cells, a stale preview refused, written in bulk.
- ``bulk``: writing rows, many-to-many links and their history in a few queries.
- ``storage``: where a previewed file waits for its confirmation (the database).
- ``preview``: the preview as an editor reads it.
- ``admin``: ``SpreadsheetImportMixin`` for the ModelAdmins — forms, preview, confirmation, example file.

Each app declares its resources (``migration/resources.py``, ``practices/resources.py``).
"""
