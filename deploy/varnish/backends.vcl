# The portal's gunicorn servers and load balancers, included by default.vcl. Write your servers' addresses (on the
# private network: gunicorn listens there, never on a public address), the portal's public host name (one of
# DJANGO_ALLOWED_HOSTS: the health check is a normal request) and your load balancers' addresses.

# Varnish marks a server sick after 3 failed health checks out of 5 (2 s apart): /salud/ answers 503 when the
# server cannot reach its database. While every server is sick, Varnish serves the copies it holds.
probe salud {
    .request =
        "GET /salud/ HTTP/1.1"
        "Host: migracion.example.pe"
        "Connection: close";
    .interval = 2s;
    .timeout = 1s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend portal_a {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = salud;
}

backend portal_b {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = salud;
}

sub vcl_init {
    new portal = directors.round_robin();
    portal.add_backend(portal_a);
    portal.add_backend(portal_b);
}

# The load balancers in front of Varnish: their requests carry the client's address as the last entry of
# X-Forwarded-For, which Varnish passes on as it came (default.vcl).
acl load_balancers {
    "10.0.0.2";
    "10.0.0.3";
}
