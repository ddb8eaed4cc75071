import pytest
from django.urls import reverse

from applications.models import Notification

pytestmark = pytest.mark.django_db


def test_menu_shows_unread_message_count(client, enterprise_user):
    Notification.objects.create(user=enterprise_user, title="案件已退回补正")
    Notification.objects.create(user=enterprise_user, title="已读", read_at="2026-01-01T00:00:00Z")
    client.force_login(enterprise_user)
    body = client.get(reverse("home")).content.decode()
    assert 'title="1 条未读"' in body


def test_menu_links_only_to_pages_that_exist(client, city_reviewer):
    client.force_login(city_reviewer)
    response = client.get(reverse("home"))
    for _entry, url, _count in response.context["role_nav"]:
        assert client.get(url).status_code in (200, 302), url


def test_the_header_names_the_office_from_cached_district_names(
    client, district_reviewer, django_assert_num_queries
):
    from portal.accounts.models import District, User

    reviewer = User.objects.get(pk=district_reviewer.pk)  # district not read with it
    name = reviewer.district.name
    assert User.objects.get(pk=district_reviewer.pk).office_name == f"{name}工信局"  # cached
    reviewer = User.objects.get(pk=district_reviewer.pk)  # another request's user
    with django_assert_num_queries(0):
        assert reviewer.office_name == f"{name}工信局"
    district = District.objects.get(pk=reviewer.district_id)
    district.name = "金水区（新）"
    district.save()  # forgets the cached names
    assert User.objects.get(pk=reviewer.pk).office_name == "金水区（新）工信局"
    client.force_login(reviewer)
    assert "金水区（新）工信局" in client.get(reverse("home")).content.decode()
