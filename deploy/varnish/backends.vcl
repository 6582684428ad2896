# The portal's gunicorn servers, included by default.vcl. Write your servers' addresses and the
# portal's public host name (one of DJANGO_ALLOWED_HOSTS: the health check is a normal request).

probe salud {
    .request =
        "GET /salud/ HTTP/1.1"
        "Host: migracion.example.pe"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
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
