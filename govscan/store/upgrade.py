"""``python -m govscan.store.upgrade``: migrate the schema of ``GOVSCAN_DB`` to the newest
revision, in a process of its own (``db.migrate``)."""

from __future__ import annotations

import sys

from govscan.store.db import open_engine, upgrade


def main() -> int:
    try:
        upgrade(open_engine())
    except Exception as error:
        print(f"{type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
