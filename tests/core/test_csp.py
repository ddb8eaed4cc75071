"""A Content-Security-Policy with no inline script: every page, and no template may need one."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.django_db
def test_pages_send_a_csp_without_unsafe_inline_script(client):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_inline_script_or_event_handler(path):
    text = path.read_text(encoding="utf-8")
    # json_script output (type="application/json") is data, not script
    scripts = [m for m in INLINE_SCRIPT.findall(text) if "application/json" not in m]
    assert not scripts, f"inline <script> in {path.name}: use a static JS file"
    assert not INLINE_HANDLER.search(text), f"inline event handler in {path.name}"


@pytest.mark.django_db
def test_api_docs_page_loads_its_script_from_a_url(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert not [m for m in INLINE_SCRIPT.findall(response.content.decode()) if "json" not in m]
