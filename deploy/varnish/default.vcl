# Varnish in front of the portal's gunicorn servers (README.md, "Despliegue"). Varnish 7 (Debian), with
# varnish-modules (Debian package varnish-modules: vsthrottle, var).
#
#   varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,512m
#
# Three files in /etc/varnish: this one, backends.vcl (your servers and load balancers: edit it) and portal.vcl,
# written by the portal at each deployment (`manage.py varnish_vcl /etc/varnish/portal.vcl`, after collectstatic).
#
# The portal says in every response how it may be kept (portal/http_cache.py): public pages carry
# "Cache-Control: public, max-age=60, s-maxage=N, stale-while-revalidate=N" and an ETag;
# anything personal is "private, no-store". This configuration follows that:
# - it keeps what the portal marks public for s-maxage (DJANGO_SHARED_CACHE_SECONDS), then serves it stale for
#   up to stale-while-revalidate more seconds while it revalidates it in the background with If-None-Match
#   (a 304 from the portal costs one SQL query and no drawing);
# - while the portal is down (its health check /salud/ fails, or it answered an error in the last 10 s), it
#   serves the copy it holds at once, however old (up to a day), and keeps it: a failed background fetch is
#   abandoned. What it holds no copy of gets the portal's own 503 page, in the page's language, with Retry-After;
# - it keeps and passes only the query parameters the portal reads, in one order, and a session cookie only
#   when it has a session key's shape: nothing a client invents makes a new copy or reaches the portal;
# - a client that asks for more than 50 pages in 10 s that Varnish does not hold is answered 429 for 20 s
#   (vsthrottle): a flood of made-up searches costs the portal at most that;
# - it never keeps anything personal, and passes the admin and every request with a session straight to
#   the portal; it drops every other cookie: no public page depends on one;
# - the client's address reaches the portal as the load balancer wrote it in X-Forwarded-For (the log-in
#   lock-out counts on it, DJANGO_PROXY_COUNT=1).
vcl 4.1;

import directors;
import std;
import var;
import vsthrottle;

# The servers: one backend each, the director "portal" and the acl "load_balancers" (backends.vcl; edit it).
include "./backends.vcl";
# Written by the portal: admin path, query parameters, session cookie, error pages (portal.vcl; never edit it).
include "./portal.vcl";

sub vcl_recv {
    set req.backend_hint = portal.backend();
    unset req.http.X-Cache;
    if (req.restarts == 0) {
        unset req.http.X-Portal-Stale;  # only Varnish sets it (vcl_synth)
        # Varnish appended the address it received the request from. From the load balancer, that is the
        # balancer's own, and the client's is the one the balancer appended: pass X-Forwarded-For on as the
        # balancer wrote it. From anyone else, Varnish's entry is the client's address and stays.
        if (client.ip ~ load_balancers) {
            set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, "(^|,\s*)[^,]*$", "");
            if (req.http.X-Forwarded-For == "") {
                unset req.http.X-Forwarded-For;
            }
        }
    }
    # The client, for the rate limit: the last address in X-Forwarded-For (see above), or the connection's.
    if (req.http.X-Forwarded-For) {
        set client.identity = regsub(req.http.X-Forwarded-For, "^.*,\s*", "");
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The load balancer's health check of Varnish: Varnish answers it itself. While the portal's database is
    # down, Varnish still serves the copies it holds, so the balancer must keep sending visitors to it.
    if (req.url == "/salud/varnish/") {
        return (synth(200, "OK"));
    }
    # The portal's health check (Varnish's own probe asks each server directly) answers for the portal, never
    # from the cache.
    if (req.url ~ "^/salud/") {
        return (pass);
    }
    # The admin: its responses are "private, no-store" anyway; passing them spares the cache a lookup.
    call portal_pass_admin;
    call portal_clean_query;
    # Whoever has a session talks to the portal, cookies and all: staff see drafts and their pages are private.
    call portal_pass_session;
    # No public page depends on any other cookie (csrftoken is only read on the admin's forms,
    # analytics cookies never): without them the request can be answered from the cache.
    unset req.http.Cookie;
    # A healthy portal: a copy is served stale only as long as it allows. A sick one, one that has just failed
    # this request (X-Portal-Stale), or one that failed any request in the last 10 s (a locked table, a database
    # that is going down before the health checks say so): any copy Varnish holds, at once — the background
    # fetch finds out when the portal is back.
    if (std.healthy(req.backend_hint) && !req.http.X-Portal-Stale
        && std.real(var.global_get("portal_failed_at"), 0.0) < std.time2real(now, 0.0) - 10.0) {
        call portal_healthy_grace;
    } else {
        set req.grace = 1d;
    }
}

sub vcl_hit {
    set req.http.X-Cache = "hit";
}

sub vcl_miss {
    set req.http.X-Cache = "miss";
    if (req.http.X-Portal-Stale) {
        # The portal has just failed this request and Varnish holds no copy: its 503 page, without asking again.
        return (synth(503, "Service Unavailable"));
    }
    call throttle;
}

sub vcl_pass {
    set req.http.X-Cache = "pass";
    call throttle;
}

# At most 50 requests Varnish cannot answer itself per client in 10 s, then 429 for 20 s.
sub throttle {
    if (vsthrottle.is_denied("backend:" + client.identity, 50, 10s, 20s)) {
        return (synth(429, "Too Many Requests"));
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Cache;
}

sub vcl_backend_response {
    # The portal answered an error to a request Varnish could keep: a background fetch is abandoned (the old copy
    # stays); a first fetch is abandoned too, and vcl_synth looks again for an old copy.
    if (beresp.status >= 500 && !bereq.uncacheable && (bereq.is_bgfetch || !bereq.http.X-Portal-Stale)) {
        var.global_set("portal_failed_at", std.time2real(now, 0.0));
        return (abandon);
    }
    # Keep only what the portal marks public. Errors, redirects and anything private or
    # no-store are fetched for every request (hit-for-miss: no waiting list).
    if (beresp.http.Cache-Control !~ "(?i)(^|[ ,])public([ ,]|$)" || beresp.http.Set-Cookie) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # s-maxage and stale-while-revalidate set beresp.ttl and beresp.grace; the grace is cut back to that in
    # vcl_recv while the portal is healthy. Kept a day in all, to be served while the portal is down, and
    # revalidated with If-None-Match instead of fetched again.
    set beresp.grace = 1d;
    set beresp.keep = 1h;
}

sub vcl_backend_error {
    # The portal could not be reached (down, refusing, too slow): a background fetch is abandoned (the old copy
    # stays); for any other request vcl_synth looks for an old copy, or answers the portal's 503 page.
    var.global_set("portal_failed_at", std.time2real(now, 0.0));
    return (abandon);
}

sub vcl_synth {
    if (resp.status == 503 && req.http.X-Cache == "miss" && !req.http.X-Portal-Stale) {
        # The portal failed this request: look again, for a copy of any age.
        set req.http.X-Portal-Stale = "1";
        return (restart);
    }
    if (resp.status == 503 || resp.status == 429) {
        call portal_error_page;
    } elsif (resp.status == 200) {  # /salud/varnish/
        set resp.http.Content-Type = "application/json";
        set resp.http.Cache-Control = "no-store";
        synthetic("""{"status": "ok"}""");
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    set resp.http.X-Cache = "synth";
    return (deliver);
}

sub vcl_deliver {
    # hit (also a stale copy served while it is revalidated), miss or pass: for operators and tests.
    set resp.http.X-Cache = req.http.X-Cache;
    # No version or host name for clients (RFC 9110 allows a pseudonym in Via).
    set resp.http.Via = "1.1 varnish";
    unset resp.http.X-Varnish;
}
