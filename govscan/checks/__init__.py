"""Checks: plain functions from one run's data to findings, one module per family, each
registered in the ``govscan.checks`` entry-point group (see ``govscan.checks.registry``)."""
