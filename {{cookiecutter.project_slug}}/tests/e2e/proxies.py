"""nginx and Caddy on loopback, run from the files the project ships in deploy/.

Only what a deployment fills in differs: the listening port, the app's
address, and the static and media roots. nginx gets them substituted into
its template, as the official image's envsubst does; Caddy reads them from
its environment.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy"
NGINX_TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
CADDYFILE = DEPLOY_DIR / "Caddyfile"

PROXIES = ("nginx", "caddy")
MISSING = """{name} is not installed; the proxy tests run the real one.
  Debian/Ubuntu:  sudo apt-get install {name}
Run the other tests with:  pytest -m "not e2e\""""

#: nginx's main context, which a distribution's nginx.conf holds and the
#: project's server block does not: everything under one throw-away prefix.
NGINX_MAIN = """\
{user}pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 512; }}
http {{
    include {mime_types};
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {server};
}}
"""


def program(name: str) -> str:
    """The proxy's executable; a missing one fails the test, with how to get it."""
    if found := shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin"):
        return found
    pytest.fail(MISSING.format(name=name), pytrace=False)


def render_nginx_template(values: dict[str, str]) -> str:
    """The template with ``values`` filled in, as ``envsubst '${NAME} ...'`` does.

    nginx's own ``$variables`` stay; a ``${NAME}`` left outside a comment
    would be a variable the template gained and the docs do not name.
    """
    text = NGINX_TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${%s}" % name, value)  # noqa: UP031 (braces)
    left = [line for line in text.splitlines() if "${" in line.split("#")[0]]
    assert not left, f"{NGINX_TEMPLATE.name} uses variables these tests do not set: {left}"
    return text


def nginx_command(prefix: Path, values: dict[str, str]) -> list[str]:
    """Write the shipped server block and a main context around it; nginx's command line."""
    prefix.mkdir(parents=True, exist_ok=True)
    server = prefix / "server.conf"
    server.write_text(render_nginx_template(values))
    main = prefix / "nginx.conf"
    main.write_text(
        NGINX_MAIN.format(
            # As root, nginx's workers would become "nobody", who cannot read
            # the test's private temporary directories.
            user="user root;\n" if os.geteuid() == 0 else "",
            prefix=prefix,
            mime_types="/etc/nginx/mime.types",
            server=server,
        )
    )
    executable = program("nginx")
    return [executable, "-p", str(prefix), "-c", str(main), "-e", "stderr", "-g", "daemon off;"]


def caddy_command() -> list[str]:
    return [program("caddy"), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"]


def caddy_environment(home: Path, values: dict[str, str]) -> dict[str, str]:
    """Caddy's variables, with its data and autosaved config kept out of ``$HOME``."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "CADDY_ADMIN": "off",
        **values,
    }
