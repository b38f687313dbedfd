"""The Dockerfile builds and its image starts: built by Docker when a daemon answers, else
its steps carried out in a clean Debian root (tests/dockerfile.py). Minutes long, so
`make docker-check` runs it apart from the suite (marker ``image``)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from dockerfile import DockerContainer, RootContainer, docker_answers, parse
from servers import http_site, page

from govscan import __version__

pytestmark = pytest.mark.image

REPOSITORY = Path(__file__).resolve().parent.parent
INVENTORY = "/etc/govscan/sites.yaml"  # where `docker run` mounts the inventory (README)
STARTED_WITHIN = 300  # seconds for the service to say it has started and to stop
SITE_NAME = "苍山州人民政府门户网站"
HOME = page(SITE_NAME, "<a href='/a.html'>通知公告</a>")
ROUTES = {"/": HOME, "/a.html": page("关于做好防汛工作的通知", "<p>各县市区人民政府：</p>")}


@pytest.fixture(scope="module")
def site():
    with http_site(ROUTES) as served:
        yield served


@pytest.fixture(scope="module")
def container(site, tmp_path_factory):
    """The image, built once for the module, with an inventory of the loopback site."""
    work = tmp_path_factory.mktemp("image")
    inventory = work / "sites.yaml"
    entry = {"id": "csz", "name": SITE_NAME, "url": site.url, "unit": "苍山州政府办公室"}
    inventory.write_text(yaml.safe_dump({"sites": [entry]}, allow_unicode=True), "utf-8")
    files = {INVENTORY: inventory}
    if docker_answers():
        yield DockerContainer.build(REPOSITORY, files)
        return
    if os.geteuid() != 0 or shutil.which("mmdebstrap") is None:
        # asked for by name (-m image): building nothing must not pass
        pytest.fail("no Docker daemon, and no root with mmdebstrap to build a Debian root")
    image = parse((REPOSITORY / "Dockerfile").read_text(encoding="utf-8"))
    try:
        yield RootContainer.build(image, REPOSITORY, work / "root", files)
    finally:  # about 1 GB; every process run in it has ended with its mount namespace
        shutil.rmtree(work / "root", ignore_errors=True)


def test_govscan_runs_as_its_own_user(container):
    version = container.run(["govscan", "--version"], timeout=120)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"govscan {__version__}"
    who = container.run(["id", "-un"], timeout=60)
    assert who.stdout.strip() == "govscan"


def test_the_mounted_inventory_validates(container):
    checked = container.run(["govscan", "validate", "--config", INVENTORY], timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "检查通过" in checked.stdout and "1 个站点，0 个账号" in checked.stdout


def test_the_browser_checks_run_in_chromium_with_the_chinese_fonts(container, site):
    command = ["govscan", "scan", site.url, "--checks", "links,a11y", "--format", "json"]
    scanned = container.run([*command, "--out", "/srv/govscan/check"], timeout=600)
    assert scanned.returncode == 0, scanned.stderr
    [found] = json.loads(scanned.stdout)["sites"]
    assert not found["not_run"], found["not_run"]  # the browser started
    assert found["metrics"]["a11y"]["pages_tested"] == 2
    fonts = container.run(["sh", "-c", "ls /usr/share/fonts/opentype/noto/"], timeout=60)
    assert "NotoSansCJK-Regular.ttc" in fonts.stdout.split()


def test_the_image_starts_the_nightly_service_and_stops_on_sigterm(container):
    service = container.start()
    hung = threading.Timer(STARTED_WITHIN, service.kill)  # ends the reading below
    hung.start()
    shown = []
    try:
        for line in service.stdout:
            shown.append(line)
            if "调度已启动" in line:
                break
        assert any("调度已启动" in line for line in shown), "".join(shown)
        container.stop(service)
        assert service.wait(timeout=120) == 0, "".join(shown) + service.stdout.read()
    finally:
        hung.cancel()
        if service.poll() is None:
            service.kill()
            service.wait()
