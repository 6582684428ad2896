"""A tiny reverse proxy for end-to-end tests: forwards every request to one backend, as a load balancer.

Like nginx's ``proxy_add_x_forwarded_for``, it appends the address the request came from to
``X-Forwarded-For`` (keeping whatever the client sent before it) and sets ``X-Forwarded-Proto``.
"""

import contextlib
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def make_handler(backend_host: str, backend_port: int):
    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            headers.pop("X-Forwarded-For", None)
            sent = self.headers.get("X-Forwarded-For")
            client = self.client_address[0]
            headers["X-Forwarded-For"] = f"{sent}, {client}" if sent else client
            headers["X-Forwarded-Proto"] = "http"
            backend = http.client.HTTPConnection(backend_host, backend_port, timeout=20)
            try:
                backend.request(self.command, self.path, body=body, headers=headers)
                response = backend.getresponse()
                content = response.read()
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                backend.close()

        do_GET = do_POST = do_HEAD = forward

    return Proxy


@contextlib.contextmanager
def reverse_proxy(backend: str):
    """A proxy on a free loopback port in front of ``backend`` (http://host:port); yields its base URL."""
    host, port = backend.removeprefix("http://").split(":")
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(host, int(port)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
