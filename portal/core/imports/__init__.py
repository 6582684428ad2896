"""Importing editors' spreadsheets in the admin (django-import-export, extended through its hooks).

One idea per module:

- ``formats``: the uploaded bytes as sheets — CSV as Excel saves it (encodings, separators) or XLSX; limits.
- ``sheets``: the table in a sheet — header below titles, names compared without case or accents, notes,
  empty and total rows.
- ``widgets``: a cell as a value — numbers read as ``portal.core.numbers.read_number`` reads them, rows of
  other tables by code or by name.
- ``table``: the table of a file as a resource reads it — its sheet, its rows of data with their lines, total
  rows checked, parts added up, missing columns named once.
- ``stored``: the stored rows a file touches — read in one query, locked at confirmation, compared with what
  the preview saw.
- ``resources``: ``Column`` and ``SpreadsheetModelResource`` — the library's resource put together: errors on
  their cells, unchanged rows skipped, written in bulk.
- ``validation``: model validation of a row without a query per row (check constraints in Python).
- ``bulk``: writing rows, many-to-many links and their history in a few queries.
- ``storage``: where a previewed file waits for its confirmation (the database).
- ``preview``: the preview as an editor reads it.
- ``admin``: ``SpreadsheetImportMixin`` for the ModelAdmins — forms, preview, confirmation, example file.

Each app declares its resources (``migration/resources.py``, ``practices/resources.py``).
"""
