"""The availability family from the scheduler's probes or the scan's own attempts."""

from __future__ import annotations

from views import HOME, view

from govscan.checks.availability import judge
from govscan.store.inventory import AvailabilitySettings
from govscan.store.view import Attempt, Availability, ProbeCounts, ProbeFailure

FAILURE = ProbeFailure("2026-11-26T03:00:00Z", None, "连接被拒绝")


def judged(availability: Availability) -> list:
    return judge(view(availability=availability), AvailabilitySettings())


def test_five_percent_of_failed_probes_is_the_veto_fewer_a_warning():
    [veto] = judged(Availability(probes=ProbeCounts(100, 5, (FAILURE,))))
    assert (veto.rule, veto.severity, veto.url) == ("availability.unreachable", "veto", HOME)
    assert veto.detail["examples"] == ({"at": FAILURE.at, "status": None, "error": "连接被拒绝"},)
    [warning] = judged(Availability(probes=ProbeCounts(100, 4, (FAILURE,))))
    assert warning.severity == "warning" and warning.detail["share"] == 0.04
    assert judged(Availability(probes=ProbeCounts(100, 0))) == []
    assert judged(Availability()) == []


def test_without_probes_the_scans_attempts_decide():
    refused = Attempt("2026-11-27T02:00:00Z", "crawl", error_kind="refused")
    later = Attempt("2026-11-27T02:01:00Z", "scan", error_kind="refused")
    answered = Attempt("2026-11-27T02:01:00Z", "scan", status=200)
    [down] = judged(Availability(attempts=(refused, later)))
    assert down.severity == "veto" and down.detail["evidence"] == "scan_attempts"
    assert "2 次访问均失败（连接被拒绝），前后历时 60 秒" in down.message
    [back] = judged(Availability(attempts=(refused, answered)))
    assert back.severity == "warning" and back.detail["failed"] == 1
