"""Libraries loaded on first use (``govscan.lazy``): what the start of a scan does not pay for.

Each check runs in a fresh interpreter, since this one has loaded everything already."""

from __future__ import annotations

import subprocess
import sys


def run_python(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_lazy_submodule_is_bound_on_its_package():
    """A later ``import a.b`` finds ``b`` on ``a``, loaded or not."""
    run_python(
        "from govscan.lazy import lazy_import\n"
        "lazy_import('email.mime.text')\n"
        "import email.mime.text\n"
        "assert email.mime.text.MIMEText('x')\n"
    )


def test_the_cli_and_the_crawl_start_without_dnspythons_resolver():
    """Addresses come from the system unless a nameserver is chosen; one that is loads it."""
    run_python(
        "import sys\n"
        "import govscan.cli, govscan.crawler.run, govscan.crawler.resolver\n"
        "import govscan.crawler.spiders.site\n"
        "assert 'dns.message' not in sys.modules, 'dnspython loaded at start'\n"
        "from govscan.resolver import Lookup\n"
        "assert Lookup({}, '127.0.0.1:5353', 1.0).resolver.port == 5353\n"
        "assert 'dns.message' in sys.modules\n"
    )
