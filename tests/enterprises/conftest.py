"""Enterprises in two districts, each with its primary login, and an .xlsx builder."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from portal.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.enterprises import enterprise_with_user


@pytest.fixture
def enterprise(enterprise_user):
    """金水区, verified, primary login ``enterprise_user``."""
    return enterprise_with_user(enterprise_user, district_code="jinshui")


@pytest.fixture
def pending_enterprise(db):
    user = UserFactory(username="pending_ent", role=Role.ENTERPRISE)
    return enterprise_with_user(user, district_code="jinshui", pending=True)


@pytest.fixture
def other_user(db):
    return UserFactory(username="other_ent", role=Role.ENTERPRISE)


@pytest.fixture
def other_enterprise(other_user):
    """二七区, verified, primary login ``other_user``."""
    return enterprise_with_user(other_user, district_code="erqi")


def make_xlsx(rows, *, header=("指标", "期间", "数值"), sheet="指标") -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "指标.xlsx"
    return buffer


@pytest.fixture
def xlsx():
    return make_xlsx
