"""Logging pieces: a filter that keeps an outage from becoming thousands of identical log lines or mails."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Lets the first record of a kind through, then at most one every ``seconds`` (per process).

    A kind is the logger, the message as written in the code (before its arguments) and the exception's class:
    during a database outage every request logs "Service Unavailable: %s" with an OperationalError — one of those
    is mailed, the next one ten minutes later says how many like it were left out.
    """

    def __init__(self, seconds: float = 600):
        super().__init__()
        self.seconds = seconds
        self.lock = threading.Lock()
        self.seen: dict[tuple[str, str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        # django.security.* loggers write the request's own text into the message (an unknown Host header): a
        # kind there is the logger alone, or each made-up host would be a mail (and an entry kept here) of its own.
        message = "" if record.name.startswith("django.security.") else str(record.msg)
        kind = (record.name, message, exception)
        now = time.monotonic()
        with self.lock:
            last, left_out = self.seen.get(kind, (None, 0))
            if last is not None and now - last < self.seconds:
                self.seen[kind] = (last, left_out + 1)
                return False
            self.seen[kind] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} [{left_out} more like it in the last {now - last:.0f} s]"
        return True
