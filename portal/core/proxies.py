"""The client's address, for the log-in lock-out (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

Behind the load balancer (``DJANGO_BEHIND_PROXY=1``) every request comes from the balancer's
address; the client's is in ``X-Forwarded-For``, where each trusted proxy appends the address it
received the request from. A client can send its own ``X-Forwarded-For`` with any addresses, so
only the entries added by our own proxies are believed: with ``DJANGO_PROXY_COUNT`` proxies (1 by
default) the client is the ``DJANGO_PROXY_COUNT``-th entry from the right. Without
``DJANGO_BEHIND_PROXY`` forwarded headers are ignored: the client is ``REMOTE_ADDR``.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through our proxies: nothing to believe
    return forwarded[-count]
