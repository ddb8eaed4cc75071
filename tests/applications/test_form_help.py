"""Forms that help (issue 18 item 5): errors summarised above the form, each linking to its
field; an upload comes back to its own row."""

import pytest
from django.urls import reverse

from tests.factories.applications import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ent_client(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    return client


def test_errors_are_summarised_above_the_form_with_links_to_their_fields(client, db):
    response = client.post(
        reverse("enterprises:register"), {"credit_code": "123", "name": "", "username": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))
    ]
    assert 'role="alert"' in html[html.index("error-box") - 40 : html.index("data-error-summary")]
    assert 'href="#id_credit_code"' in summary and "统一社会信用代码" in summary
    assert summary.count("data-error-link") == len(response.context["form"].errors)


def test_an_upload_comes_back_to_its_row(ent_client, draft):
    application = draft
    item = application.clause.materials[1]
    response = ent_client.post(
        reverse("applications:material_upload", args=[application.pk]),
        {"item": item, "file": pdf(), "row": "2"},
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:edit", args=[application.pk]) + "#material-2"
    page = ent_client.get(response.url).content.decode()
    assert 'id="material-2"' in page and 'target="_blank" rel="noopener"' in page
    odd = ent_client.post(
        reverse("applications:material_upload", args=[application.pk]),
        {"item": item, "file": pdf(), "row": '2"><script>'},
    )
    assert odd.url.endswith("#materials")
