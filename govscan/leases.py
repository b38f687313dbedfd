"""A run's heartbeat: while a process carries out a run it renews the run's lease, so that a
run whose process died is found out within a lease (``store.leases.expire``) instead of
staying "running" forever."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from govscan.store.leases import renew
from govscan.store.models import AccountRun, Run

#: Seconds a run's lease lasts; it is renewed four times a lease, so a busy database or a
#: long pause of the process does not lose it, and a lost run is found within a lease.
LEASE = 60.0
BEATS_PER_LEASE = 4

log = logging.getLogger(__name__)


def worker_name() -> str:
    """This process, as a run's lease names it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def heartbeat(
    engine: Engine, model: type[Run] | type[AccountRun], run_id: int, lease: float
) -> Iterator[None]:
    """Renew the run's lease until the block ends."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease / BEATS_PER_LEASE):
            try:
                renew(engine, model, run_id, lease)
            except SQLAlchemyError as error:  # the next beat tries again
                log.warning("run %s: lease not renewed: %s", run_id, error)

    beating = threading.Thread(target=beat, name=f"lease-{run_id}", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
