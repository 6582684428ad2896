"""Where an uploaded file waits for its «Confirmar importación»: the database (``PendingImport``), never a disk.

django-import-export keeps the file between the preview and the confirmation in a «temporary storage»; this
one keeps it in memory during the preview and, once the admin has bound it to its editor and session
(``SpreadsheetImportMixin.get_confirm_form_initial``), in a ``PendingImport`` row named by a random token: a
preview made on one server can be confirmed on another, and nothing stays on a server's disk. The confirm form
checks that the token belongs to the editor and session before this storage reads it.
"""

import uuid

from import_export.tmp_storages import BaseStorage

from portal.core.models import PendingImport


def pending_token(value) -> str | None:
    """A token as the confirm form may post it, or None (a file name, «../../etc/passwd»)."""
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        return None


class PendingImportStorage(BaseStorage):
    def save(self, data):
        self.data = data
        self.name = self.name or str(uuid.uuid4())

    def read(self):
        if getattr(self, "data", None) is not None:
            return self.data
        pending = PendingImport.objects.filter(token=pending_token(self.name)).only("data").first()
        return bytes(pending.data) if pending is not None else b""

    def remove(self):
        token = pending_token(self.name)
        if token:
            PendingImport.objects.filter(token=token).delete()
        self.data = None
