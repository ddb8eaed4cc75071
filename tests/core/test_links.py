"""Typed links between the layers: every one is provided in AppConfig.ready, and a missing one
stops the portal at start-up (system check core.E101) instead of failing on first use."""

from __future__ import annotations

import pytest
from django.core import checks

from portal.core import links


def test_every_link_is_provided_by_its_app():
    assert links.missing() == []
    assert [e for e in links.links_check() if e.id == "core.E101"] == []
    assert links.badge("applications:notifications").provided


def test_a_missing_link_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(links.BUDGET_CHECK, "_fn", None)
    errors = [e for e in checks.run_checks() if e.id == "core.E101"]
    assert len(errors) == 1 and "budget_check" in errors[0].msg
    assert "finance" in errors[0].hint
    with pytest.raises(links.MissingLink):
        links.BUDGET_CHECK(application=None, amount=0)


def test_a_declared_badge_nobody_provides_fails_the_check(monkeypatch):
    monkeypatch.setattr(links, "_badges", dict(links._badges))
    links.badge("nowhere:inbox")
    assert [link.name for link in links.missing()] == ["badge:nowhere:inbox"]


def test_no_portal_dotted_path_settings_remain(settings):
    for name in ("PORTAL_FACTS_PREFILL", "PORTAL_NAV_BADGES", "PORTAL_PAYMENT_STATUS"):
        assert not hasattr(settings, name)
    assert not hasattr(settings, "PORTAL_BUDGET_CHECK")


def test_the_calculator_prefill_raises_instead_of_hiding_a_broken_provider(rf, monkeypatch):
    from policies.views import _prefill

    def broken(user):
        raise ImportError("enterprises.facts moved")

    with links.FACTS_PREFILL.override(broken), pytest.raises(ImportError):
        _prefill(None)
