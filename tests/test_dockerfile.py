"""The Dockerfile as its reader in tests/dockerfile.py sees it: what the image installs, who
it runs as, what it starts; tests/test_image.py builds and starts it."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from dockerfile import context_files, copies, instructions, parse

from govscan.cli import build_parser, command_schedule

REPOSITORY = Path(__file__).resolve().parent.parent
IMAGE = parse((REPOSITORY / "Dockerfile").read_text(encoding="utf-8"))
UNIT = (REPOSITORY / "deploy" / "govscan-schedule.service").read_text(encoding="utf-8")


def test_instructions_join_continuations_and_drop_comments():
    text = "# a comment\nFROM debian:bookworm-slim\nRUN apt-get update \\\n# inside\n  && true\n"
    found = instructions(text)
    assert [(i.keyword, i.line) for i in found] == [("FROM", 2), ("RUN", 3)]
    assert found[1].argument.split() == ["apt-get", "update", "&&", "true"]


def test_env_expands_what_was_set_before_and_workdir_follows():
    image = parse(
        "FROM debian:bookworm\nENV A=/opt B=x\nENV PATH=$A/bin:$PATH C=${B}y\n"
        "WORKDIR /srv\nWORKDIR data\nUSER nobody\nRUN true\nCMD echo hi\n"
    )
    assert image.env["PATH"].startswith("/opt/bin:/usr/local/sbin:")
    assert image.env["C"] == "xy"
    assert image.workdir == "/srv/data" and image.user == "nobody"
    assert image.steps[-1].user == "nobody" and image.steps[-1].workdir == "/srv/data"
    assert image.command == ["/bin/sh", "-c", "echo hi"]


def test_an_instruction_the_reader_cannot_carry_out_is_refused():
    with pytest.raises(ValueError, match="line 2: ARG"):
        parse("FROM debian:bookworm\nARG VERSION=1\n")


def test_the_image_is_debian_with_the_browser_and_the_chinese_fonts():
    assert IMAGE.suite == "bookworm"
    installed = set()
    for step in IMAGE.steps:
        words = shlex.split(step.argument) if step.keyword == "RUN" else []
        if "install" in words and "apt-get" in words:
            installed |= {word for word in words if not word.startswith("-")}
    wanted = {"chromium", "chromium-headless-shell", "fonts-noto-cjk", "python3", "python3-venv"}
    assert wanted <= installed
    if shutil.which("apt-cache"):  # each is a package of this Debian release
        for package in sorted(wanted):
            shown = subprocess.run(["apt-cache", "show", package], capture_output=True)
            assert shown.returncode == 0, package


def test_the_service_runs_as_its_own_user_as_the_systemd_unit_does():
    assert IMAGE.user == "govscan" and "User=govscan" in UNIT
    assert IMAGE.command[:2] == ["govscan", "schedule"]
    unit_command = next(line for line in UNIT.splitlines() if line.startswith("ExecStart="))
    assert unit_command.split()[1] == "schedule"
    args = build_parser().parse_args(IMAGE.command[1:])
    assert args.handler is command_schedule
    assert str(args.config) == "/etc/govscan/sites.yaml"
    assert str(args.out).startswith(IMAGE.workdir)  # the reports stay in the volume
    assert IMAGE.metadata["VOLUME"] == IMAGE.workdir == "/srv/govscan"


def test_the_build_context_holds_the_package_and_nothing_else():
    kept = context_files(REPOSITORY)
    assert {"pyproject.toml", "README.md", "govscan/cli.py"} <= kept
    assert "govscan/reports/templates/bulletin.html" in kept  # package data goes in too
    assert not any(name.startswith(("tests/", ".git", ".venv/")) for name in kept)
    assert not any("__pycache__" in name for name in kept)
    copied = [
        destination
        for step in IMAGE.steps
        if step.keyword == "COPY"
        for _, destination in copies(step.argument, REPOSITORY)
    ]
    assert "/opt/govscan/src/pyproject.toml" in copied
    assert "/opt/govscan/src/govscan/cli.py" in copied
