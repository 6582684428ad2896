"""Static files: whitenoise, with its one-byte range fault worked around.

whitenoise 6.12.0 (the latest release) answers ``Range: bytes=0-0`` — and any other range of one byte,
e.g. ``bytes=-1`` — with 416 instead of 206 and that byte: its check ``start >= end`` treats the inclusive
end as exclusive (https://github.com/evansd/whitenoise/issues/711, open). Browsers and media players send
such probes. Remove this module when a fixed release is out.
"""

from http import HTTPStatus

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import Response, SlicedFile, StaticFile


class StaticFileRanges(StaticFile):
    def get_range_response(self, range_header, base_headers, file_handle):
        headers = [item for item in base_headers if item[0] != "Content-Length"]
        size = next(int(value) for name, value in base_headers if name == "Content-Length")
        start, end = self.get_byte_range(range_header, size)
        if start > end:  # whitenoise: start >= end
            return self.get_range_not_satisfiable_response(file_handle, size)
        if file_handle is not None:
            file_handle = SlicedFile(file_handle, start, end)
        headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
        headers.append(("Content-Length", str(end - start + 1)))
        return Response(HTTPStatus.PARTIAL_CONTENT, headers, file_handle)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def get_static_file(self, path, url, stat_cache=None):
        static_file = super().get_static_file(path, url, stat_cache=stat_cache)
        static_file.__class__ = StaticFileRanges
        return static_file
