"""Write the portal's part of Varnish's configuration: ``manage.py varnish_vcl /etc/varnish/portal.vcl``.

``deploy/varnish/default.vcl`` includes it. Everything in it comes from the portal itself, so that Varnish and the
portal never disagree: the admin's path (``DJANGO_ADMIN_PATH``), the query parameters the pages read
(registered by the apps, ``portal.core.registry.QUERY_PARAMETERS``), the session cookie's name and shape, the
grace while the portal is healthy (``DJANGO_SHARED_CACHE_SECONDS``), the security headers, and the 503 and 429 pages
Varnish answers itself, drawn
from the portal's templates in Spanish and English (they link the stylesheet by its hashed name: write the file
again after ``collectstatic``, at each deployment, and reload Varnish).
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.core.errors import RETRY_AFTER_SECONDS, api_outage, outage_page
from portal.core.middleware import SecurityHeadersMiddleware
from portal.core.registry import QUERY_PARAMETERS


def vcl_string(text: str) -> str:
    """``text`` as a VCL long string ``{"…"}``."""
    if '"}' in text:
        raise CommandError(f'A page for Varnish holds «"}}», which VCL cannot quote: {text[:80]!r}…')
    return '{"' + text + '"}'


def pages(status: int, **context) -> str:
    """``synthetic(…)`` of the page in English under /en/, in Spanish elsewhere."""
    with translation.override("en"):
        english = outage_page(status, **context)
    with translation.override(settings.LANGUAGE_CODE):
        spanish = outage_page(status, **context)
    return (
        f'if (req.url ~ "^/en(/|\\?|$)") {{\n            synthetic({vcl_string(english)});\n'
        f"        }} else {{\n            synthetic({vcl_string(spanish)});\n        }}"
    )


def api_answer(status: int) -> str:
    """``synthetic(…)`` of the API's JSON answer (in Spanish, as all the API's answers), in a triple-quoted VCL
    long string (JSON ends in ``"}``, which would close a ``{"…"}`` one); ASCII, with JSON's own escapes."""
    with translation.override(settings.LANGUAGE_CODE):
        return 'synthetic("""' + json.dumps(api_outage(status)) + '""");'


class Command(BaseCommand):
    help = "Escribe la parte del portal de la configuración de Varnish (deploy/varnish/default.vcl la incluye)."

    def add_arguments(self, parser):
        parser.add_argument("output", help="archivo a escribir, p. ej. /etc/varnish/portal.vcl")

    def handle(self, *args, output, **options):
        names = "|".join(re.escape(name) for name in sorted(QUERY_PARAMETERS))
        headers = SecurityHeadersMiddleware(lambda request: None).headers
        headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        header_lines = "\n".join(f'    set resp.http.{name} = "{value}";' for name, value in headers.items())
        vcl = f"""# The portal's part of Varnish's configuration, written by `manage.py varnish_vcl` from its settings
# and templates; deploy/varnish/default.vcl includes it. Do not edit: write it again at each deployment (after
# collectstatic) and reload Varnish.

# The admin (DJANGO_ADMIN_PATH) always comes from the portal.
sub portal_pass_admin {{
    if (req.url ~ "^/{re.escape(settings.ADMIN_PATH)}") {{
        return (pass);
    }}
}}

# Only the query parameters the portal reads (registered by its apps, portal.core.registry) are kept, in one
# order: a
# parameter no page reads (?utm_source=…, ?x=<random>) can neither miss the cache nor reach the portal.
sub portal_clean_query {{
    if (req.url ~ "\\?") {{
        set req.http.X-Portal-Query = regsuball(
            regsub(req.url, "^[^?]*\\?", ""), "(?<=^|&)(?!(?:{names})=)[^&]*(?:&|$)", "");
        set req.http.X-Portal-Query = regsub(req.http.X-Portal-Query, "&+$", "");
        set req.url = regsub(req.url, "\\?.*$", "");
        if (req.http.X-Portal-Query != "") {{
            set req.url = std.querysort(req.url + "?" + req.http.X-Portal-Query);
        }}
        unset req.http.X-Portal-Query;
    }}
}}

# A request with a session (a signed-in editor) talks to the portal: its session cookie
# ({settings.SESSION_COOKIE_NAME}) has the shape of a session key; any other cookie is dropped.
sub portal_pass_session {{
    if (req.http.Cookie ~ "(^|;\\s*){re.escape(settings.SESSION_COOKIE_NAME)}=[a-z0-9]{{32}}(;|$)") {{
        return (pass);
    }}
}}

# While the portal is healthy, a copy is served stale only as long as the portal allows
# (stale-while-revalidate = DJANGO_SHARED_CACHE_SECONDS).
sub portal_healthy_grace {{
    set req.grace = {settings.SHARED_CACHE_SECONDS}s;
}}

# The pages Varnish answers itself — 503 when the portal cannot answer and Varnish holds no copy, 429 when a client
# asked for too many pages Varnish did not hold — as the portal draws them, with its headers; JSON under /api/.
sub portal_error_page {{
    set resp.http.Retry-After = "{RETRY_AFTER_SECONDS}";
    set resp.http.Cache-Control = "no-store";
{header_lines}
    if (req.url ~ "^/api/") {{
        set resp.http.Content-Type = "application/json; charset=utf-8";
        set resp.http.Access-Control-Allow-Origin = "*";
        if (resp.status == 429) {{
            {api_answer(429)}
        }} else {{
            {api_answer(503)}
        }}
        return (deliver);
    }}
    set resp.http.Content-Type = "text/html; charset=utf-8";
    if (resp.status == 429) {{
        {pages(429)}
    }} elsif (req.method != "GET" && req.method != "HEAD") {{
        {pages(503, not_saved=True, admin=True)}
    }} else {{
        {pages(503)}
    }}
}}
"""
        Path(output).write_text(vcl)
        self.stdout.write(self.style.SUCCESS(f"Configuración de Varnish del portal escrita en {output}."))
