"""`make run PORT=8100` serves the site on 8100: what seed_demo prints and the links e-mails
carry say 8100 too, not 8000."""

import shutil
import subprocess
from pathlib import Path

import pytest

from accounts.mail import absolute_url
from demo.management.commands.seed_demo import site_addresses

ROOT = Path(__file__).resolve().parents[2]


def test_seed_demo_prints_the_address_the_site_is_served_on(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8100"
    line = site_addresses()
    assert "http://127.0.0.1:8100/ar/" in line and "http://127.0.0.1:8100/admin/" in line
    assert ":8000" not in line
    assert absolute_url("/fr/accounts/verify/abc/") == "http://127.0.0.1:8100/fr/accounts/verify/abc/"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_its_port_to_the_seed_and_the_server():
    # -n: print the commands, run none of them.
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8100"], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    seed = next(line for line in commands.splitlines() if "seed_demo" in line)
    server = next(line for line in commands.splitlines() if "daphne" in line)
    assert "WAGTAILADMIN_BASE_URL=http://127.0.0.1:8100" in seed
    assert "WAGTAILADMIN_BASE_URL=http://127.0.0.1:8100" in server and "-p 8100" in server
    assert "8000" not in commands
