"""gunicorn settings for production (read automatically from the project root).

Environment: GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers,
default 2 × cores + 1), GUNICORN_THREADS (default 1), GUNICORN_TIMEOUT (default 30 s).
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 100_000
max_requests_jitter = 10_000
# The portal logs one structured line per request itself (portal.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No header sets SCRIPT_NAME or PATH_INFO (gunicorn's default trusts both from forwarded_allow_ips): the
# portal is served at the root, and a client on the proxy's machine could otherwise prefix every link
# the portal writes — and keeps in its caches — with a path of its choosing.
forwarder_headers = ""
# The longest request line gunicorn reads (its maximum; default 4094): up to 8 KB the portal itself answers
# a hostile URL, with its plain 400 page and the security headers (longer ones get gunicorn's own 414).
limit_request_line = 8190
# No control socket (gunicorn ≥ 25: runtime management through $XDG_RUNTIME_DIR/gunicorn.ctl): nothing uses
# it, and every gunicorn on the machine — several servers, the tests' own — would claim the same path.
control_socket_disable = True
