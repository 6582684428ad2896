# Varnish in front of the portal's gunicorn servers (README.md, "Despliegue"). Varnish 7 (Debian).
#
#   varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,512m
#
# The portal says in every response how it may be kept (portal/http_cache.py): public pages carry
# "Cache-Control: public, max-age=60, s-maxage=N, stale-while-revalidate=N" and an ETag;
# anything personal is "private, no-store". This configuration follows that:
# - it keeps what the portal marks public for s-maxage (DJANGO_SHARED_CACHE_SECONDS), then serves
#   it stale for up to stale-while-revalidate more seconds while it revalidates it in the background
#   with If-None-Match (a 304 from the portal costs one SQL query and no drawing);
# - it never keeps anything else, and passes the admin and every request with a session cookie
#   (a signed-in editor, who may preview drafts) straight to the portal;
# - it drops every other cookie: no public page depends on one.
vcl 4.1;

import directors;

# The servers: one backend each, and the director "portal" (deploy/varnish/backends.vcl; edit it).
include "./backends.vcl";

sub vcl_recv {
    set req.backend_hint = portal.backend();
    unset req.http.X-Cache;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The health check answers for the portal itself, never from the cache.
    if (req.url ~ "^/salud/") {
        return (pass);
    }
    # The admin (DJANGO_ADMIN_PATH; "admin/" by default: write yours here). Its responses are
    # "private, no-store" anyway; passing them spares the cache a lookup.
    if (req.url ~ "^/admin/") {
        return (pass);
    }
    # Whoever has a session talks to the portal, cookies and all: staff see drafts and
    # their pages are private.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # No public page depends on any other cookie (csrftoken is only read on the admin's forms,
    # analytics cookies never): without them the request can be answered from the cache.
    unset req.http.Cookie;
}

sub vcl_hit {
    set req.http.X-Cache = "hit";
}

sub vcl_miss {
    set req.http.X-Cache = "miss";
}

sub vcl_pass {
    set req.http.X-Cache = "pass";
}

sub vcl_backend_fetch {
    unset bereq.http.X-Cache;
}

sub vcl_backend_response {
    # Keep only what the portal marks public. Errors, redirects and anything private or
    # no-store are fetched for every request (hit-for-miss: no waiting list).
    if (beresp.http.Cache-Control !~ "(?i)(^|[ ,])public([ ,]|$)" || beresp.http.Set-Cookie) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # s-maxage and stale-while-revalidate set beresp.ttl and beresp.grace. After them the
    # copy is kept a while longer to be revalidated with If-None-Match instead of fetched again.
    set beresp.keep = 1h;
}

sub vcl_deliver {
    # hit (also a stale copy served while it is revalidated), miss or pass: for operators and tests.
    set resp.http.X-Cache = req.http.X-Cache;
}
