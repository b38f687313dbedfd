"""The repository's Dockerfile, read and carried out: with Docker when a daemon answers,
else in a clean Debian root built by mmdebstrap from this machine's apt sources, each RUN
in a chroot of its own, each COPY from the build context as .dockerignore leaves it.

Only the instructions the Dockerfile uses are understood; any other is an error, so that
a change to the file cannot pass unbuilt.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

#: What a container's PATH is when the Dockerfile sets none (Docker's default).
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: Instructions that change nothing in a root: metadata Docker keeps beside the image.
METADATA = {"VOLUME", "STOPSIGNAL", "LABEL", "EXPOSE"}
VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
BUILD_CA = "/run/build-ca.crt"  # the build machine's CA bundle, for pip behind its proxy


@dataclass(frozen=True)
class Instruction:
    keyword: str
    argument: str
    line: int


@dataclass(frozen=True)
class Step:
    """A RUN or a COPY, with the environment, user and directory it runs with."""

    keyword: str
    argument: str
    env: dict[str, str]
    user: str
    workdir: str


@dataclass
class Image:
    """What a Dockerfile says: the base, the steps, and how the container starts."""

    base: str = ""
    steps: list[Step] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=lambda: {"PATH": DEFAULT_PATH})
    user: str = "root"
    workdir: str = "/"
    command: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def suite(self) -> str:
        """The Debian release of a ``debian:<release>`` or ``debian:<release>-slim`` base."""
        name, _, tag = self.base.partition(":")
        if name not in ("debian", "docker.io/library/debian") or not tag:
            raise ValueError(f"not a Debian base: {self.base}")
        return tag.removesuffix("-slim")


def instructions(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile, continuation lines joined and comments dropped (a
    comment or blank line inside a continuation too, as Docker does)."""
    found: list[Instruction] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, argument = (pending + line).partition(" ")
        found.append(Instruction(keyword.upper(), argument.strip(), start))
        pending = ""
    if pending:
        raise ValueError("the Dockerfile ends inside a continuation line")
    return found


def expand(text: str, env: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` replaced by their values so far, as ENV and WORKDIR do."""
    return VARIABLE.sub(lambda found: env.get(found[1] or found[2], ""), text)


def parse(text: str) -> Image:
    """The image a Dockerfile describes."""
    image = Image()
    for instruction in instructions(text):
        keyword, argument = instruction.keyword, instruction.argument
        if keyword == "FROM":
            image.base = argument
        elif keyword == "ENV":
            image.env = {**image.env, **env_pairs(argument, image.env)}
        elif keyword in ("RUN", "COPY"):
            image.steps.append(Step(keyword, argument, image.env, image.user, image.workdir))
        elif keyword == "USER":
            image.user = argument
        elif keyword == "WORKDIR":
            image.workdir = os.path.join(image.workdir, expand(argument, image.env))
            image.steps.append(Step(keyword, image.workdir, image.env, "root", "/"))
        elif keyword == "CMD":
            image.command = exec_form(argument)
        elif keyword in METADATA:
            image.metadata[keyword] = argument
        else:
            raise ValueError(f"line {instruction.line}: {keyword} is not understood here")
    return image


def env_pairs(argument: str, env: dict[str, str]) -> dict[str, str]:
    """``ENV a=1 b=$a``: every value expanded with the variables set before this ENV."""
    pairs = {}
    for word in shlex.split(argument):
        name, equals, value = word.partition("=")
        if not equals:
            raise ValueError(f"ENV {argument}: only the NAME=value form is understood")
        pairs[name] = expand(value, env)
    return pairs


def exec_form(argument: str) -> list[str]:
    """A CMD's words: its JSON list, or the shell form run by /bin/sh -c."""
    if argument.startswith("["):
        return json.loads(argument)
    return ["/bin/sh", "-c", argument]


def ignored_by(context: Path) -> list[tuple[bool, re.Pattern]]:
    """The context's .dockerignore: each pattern, whether it re-includes (``!``), as a
    regular expression over paths relative to the context."""
    rules = []
    ignore = context / ".dockerignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    for line in lines:
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        keep = pattern.startswith("!")
        pattern = os.path.normpath(pattern.removeprefix("!").strip("/"))
        rules.append((keep, re.compile(glob_regex(pattern))))
    return rules


def glob_regex(pattern: str) -> str:
    """Docker's patterns: ``**/`` any directories (or none), ``*`` and ``?`` within a name;
    a pattern that names a directory names everything under it too."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    wild = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return "".join(wild.get(part, re.escape(part)) for part in parts) + "(?:/.*)?"


def context_files(context: Path) -> set[str]:
    """The files of the build context that .dockerignore leaves in, relative to it."""
    rules = ignored_by(context)
    kept = set()
    for path in context.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(context).as_posix()
        excluded = False
        for keep, pattern in rules:
            if pattern.fullmatch(relative):
                excluded = not keep
        if not excluded:
            kept.add(relative)
    return kept


def copies(argument: str, context: Path) -> Iterator[tuple[Path, str]]:
    """A COPY's files: each kept file of the context and where it goes in the image."""
    *sources, destination = shlex.split(argument)
    if not sources or any(word.startswith("--") for word in sources):
        raise ValueError(f"COPY {argument}: only COPY SOURCE... DESTINATION is understood")
    kept = context_files(context)
    for source in sources:
        source = os.path.normpath(source)
        under = sorted(name for name in kept if name.startswith(source + "/"))
        if source in kept:
            into = destination.endswith("/") or len(sources) > 1
            yield context / source, destination + Path(source).name if into else destination
        elif under:
            for name in under:
                yield context / name, os.path.join(destination, name.removeprefix(source + "/"))
        else:
            raise FileNotFoundError(f"COPY {source}: not in the build context (.dockerignore?)")


class Container(Protocol):
    """An image built from the Dockerfile, to run commands in as its user would."""

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess:
        """Run ``argv`` in a new container of the image, as the image's user."""

    def start(self) -> subprocess.Popen:
        """Start a container with the image's own command."""

    def stop(self, started: subprocess.Popen) -> None:
        """Send the started container SIGTERM, as ``docker stop`` does."""


def docker_answers() -> bool:
    """Whether a Docker daemon is there to build with."""
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


@dataclass
class DockerContainer:
    """The image as Docker builds it; ``files`` are mounted read-only, the network is the
    host's, so that loopback test servers answer."""

    tag: str
    files: dict[str, Path]
    name: str = field(default_factory=lambda: f"govscan-check-{uuid.uuid4().hex[:8]}")

    @classmethod
    def build(cls, context: Path, files: dict[str, Path]) -> DockerContainer:
        tag = "govscan-image-check"
        subprocess.run(["docker", "build", "-t", tag, str(context)], check=True, timeout=3600)
        return cls(tag, files)

    def docker_run(self, *extra: str) -> list[str]:
        mounts = [f"--volume={host}:{inside}:ro" for inside, host in self.files.items()]
        return ["docker", "run", "--rm", "--network=host", *mounts, *extra, self.tag]

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess:
        command = self.docker_run()
        return subprocess.run([*command, *argv], capture_output=True, text=True, timeout=timeout)

    def start(self) -> subprocess.Popen:
        command = self.docker_run(f"--name={self.name}")
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def stop(self, started: subprocess.Popen) -> None:
        subprocess.run(["docker", "stop", "--time=60", self.name], capture_output=True, timeout=90)


@dataclass
class RootContainer:
    """The image as its Dockerfile's steps leave a clean Debian root: each command runs
    chrooted in a mount namespace of its own (proc, dev and sys mounted, gone with it), on
    the host's network, with the image's environment, user and working directory."""

    root: Path
    image: Image

    @classmethod
    def build(
        cls, image: Image, context: Path, root: Path, files: dict[str, Path]
    ) -> RootContainer:
        bootstrap(image.suite, root)
        built = cls(root, image)
        shutil.copyfile("/etc/ssl/certs/ca-certificates.crt", root / BUILD_CA.lstrip("/"))
        for step in image.steps:
            built.carry_out(step, context)
        (root / BUILD_CA.lstrip("/")).unlink()  # the build's, not the image's
        for inside, host in files.items():  # as `docker run --volume` would
            target = root / inside.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(host, target)
            target.chmod(0o644)
        return built

    def carry_out(self, step: Step, context: Path) -> None:
        """One step of the build: a WORKDIR made, a COPY's files copied, a RUN run."""
        if step.keyword == "WORKDIR":
            (self.root / step.argument.lstrip("/")).mkdir(parents=True, exist_ok=True)
        elif step.keyword == "COPY":
            for source, destination in copies(step.argument, context):
                target = self.root / destination.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        else:
            env = {"HOME": self.home(step.user), **step.env, **build_environment()}
            argv = exec_form(step.argument)
            done = subprocess.run(self.chrooted(argv, env, step.user, step.workdir), timeout=3600)
            if done.returncode != 0:
                raise RuntimeError(f"RUN {step.argument}: exit status {done.returncode}")

    def chrooted(self, argv: list[str], env: dict[str, str], user: str, workdir: str) -> list[str]:
        """``argv`` as the image would run it, chrooted into the root."""
        mounts = (
            'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && '
            'mount --rbind /sys "$0/sys" && exec chroot "$@"'
        )
        who = [] if user in ("root", "0") else [f"--userspec={user}"]
        variables = [f"{name}={value}" for name, value in env.items()]
        inside = [*who, str(self.root), "env", "-i", "-C", workdir, *variables, *argv]
        unshare = ["unshare", "--mount", "--propagation", "private", "--"]
        return [*unshare, "sh", "-c", mounts, str(self.root), *inside]

    def home(self, user: str) -> str:
        """The user's home in the root's passwd, which Docker sets as HOME."""
        for entry in (self.root / "etc/passwd").read_text(encoding="utf-8").splitlines():
            fields = entry.split(":")
            if fields[0] == user:
                return fields[5]
        return "/"

    def environment(self) -> dict[str, str]:
        """The container's environment: the image's, with the user's HOME."""
        return {"HOME": self.home(self.image.user), **self.image.env}

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess:
        command = self.chrooted(argv, self.environment(), self.image.user, self.image.workdir)
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def start(self) -> subprocess.Popen:
        command = self.chrooted(
            self.image.command, self.environment(), self.image.user, self.image.workdir
        )
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def stop(self, started: subprocess.Popen) -> None:
        started.send_signal(signal.Signals[self.image.metadata.get("STOPSIGNAL", "SIGTERM")])


def build_environment() -> dict[str, str]:
    """What a build on this machine needs beside the Dockerfile, as `docker build` would
    get it from build arguments: the proxy settings, and the CA bundle pip must trust."""
    names = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
    passed = {name: os.environ[name] for name in names if name in os.environ}
    return {**passed, "PIP_CERT": BUILD_CA}


def apt_sources() -> list[str]:
    """This machine's Debian sources, one-line form, for mmdebstrap: a local mirror works."""
    lines = []
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for stanza in path.read_text(encoding="utf-8").split("\n\n"):
            fields = dict(
                line.split(":", 1) for line in stanza.splitlines() if re.match(r"^\w[\w-]*:", line)
            )
            if fields.get("Types", "").strip() != "deb" or "debian" not in fields.get("URIs", ""):
                continue
            for suite in fields["Suites"].split():
                lines.append(f"deb {fields['URIs'].strip()} {suite} {fields['Components'].strip()}")
    listed = Path("/etc/apt/sources.list")
    if listed.exists():
        lines += [line for line in listed.read_text().splitlines() if line.startswith("deb ")]
    return lines


def bootstrap(suite: str, root: Path) -> None:
    """A minimal Debian ``suite`` in ``root``, as the base image is, with the files Docker
    gives every container (hosts, resolv.conf)."""
    sources = [line for line in apt_sources() if f" {suite}" in line]
    if not sources:
        raise RuntimeError(f"this machine has no apt source for Debian {suite}")
    command = ["mmdebstrap", "--variant=minbase", "--mode=root", "--format=directory"]
    subprocess.run([*command, suite, str(root), *sources], check=True, timeout=1800)
    (root / "etc/hosts").write_text(HOSTS, encoding="utf-8")
    shutil.copyfile("/etc/resolv.conf", root / "etc/resolv.conf")
