#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# chromium (real-browser tests through Playwright), postgresql (the suite also runs on PostgreSQL),
# redis-server (the scale-out test shares one cache between two servers), varnish and varnish-modules (the
# scale-out test puts it in front of them; default.vcl rate-limits with vsthrottle), gettext (translations),
# wrk (the benchmark, scripts/benchmark.py), and Java with npm for the W3C Nu HTML checker
# (tests/portal/test_valid_html.py installs npm's vnu-jar from tests/nu/ when missing).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v redis-server >/dev/null || missing+=(redis-server)
{ [ -x /usr/sbin/varnishd ] || command -v varnishd >/dev/null; } || missing+=(varnish)
compgen -G "/usr/lib/*/varnish/vmods/libvmod_vsthrottle.so" >/dev/null || missing+=(varnish-modules)
command -v wrk >/dev/null || missing+=(wrk)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Missing Debian packages (${missing[*]}) and no root rights: install them and run again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
