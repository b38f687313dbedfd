# govscan's nightly service in a container: Debian's Chromium for the browser checks, the
# Noto CJK fonts for Chinese pages, govscan in its own virtualenv, run as the user govscan.
#   docker build -t govscan .
#   docker run -d --name govscan --stop-timeout 3600 \
#     -v "$PWD/sites.yaml:/etc/govscan/sites.yaml:ro" -v govscan-data:/srv/govscan govscan
# tests/test_image.py builds it (in a clean Debian root when no Docker daemon is at hand).
FROM debian:bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libatomic1: the Node.js that Playwright ships needs it, and the slim base lacks it
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates chromium chromium-headless-shell fonts-noto-cjk python3 python3-venv \
        libatomic1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --create-home --home-dir /srv/govscan \
        --shell /usr/sbin/nologin govscan \
    && mkdir -p /etc/govscan

COPY pyproject.toml README.md /opt/govscan/src/
COPY govscan /opt/govscan/src/govscan

# the cluster extra too: the same image runs `govscan worker` against Redis and PostgreSQL
RUN python3 -m venv /opt/govscan/.venv \
    && /opt/govscan/.venv/bin/pip install --no-cache-dir '/opt/govscan/src[cluster]' \
    && rm -rf /opt/govscan/src

ENV PATH=/opt/govscan/.venv/bin:$PATH \
    GOVSCAN_DB=sqlite:////srv/govscan/govscan.db

USER govscan
WORKDIR /srv/govscan
VOLUME /srv/govscan

# SIGTERM lets the night's running scan finish first: give `docker stop` time (-t)
STOPSIGNAL SIGTERM
CMD ["govscan", "schedule", "--config", "/etc/govscan/sites.yaml", "--out", "/srv/govscan/reports"]
