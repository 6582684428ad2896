"""An unknown Host header is mailed once per interval, not once per made-up host name."""

import logging

import pytest

from portal.core.logs import OncePerInterval

pytestmark = pytest.mark.database_independent


def record(name: str, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, None, None)


def test_made_up_hosts_are_one_kind():
    once = OncePerInterval(seconds=600)
    hosts = [f"Invalid HTTP_HOST header: 'evil{i}.example'." for i in range(50)]
    passed = [once.filter(record("django.security.DisallowedHost", msg)) for msg in hosts]
    assert passed.count(True) == 1
    assert len(once.seen) == 1


def test_other_messages_stay_separate_kinds():
    once = OncePerInterval(seconds=600)
    assert once.filter(record("portal.x", "Service Unavailable: %s"))
    assert once.filter(record("portal.x", "Internal Server Error: %s"))
    assert not once.filter(record("portal.x", "Internal Server Error: %s"))
