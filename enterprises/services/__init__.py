"""Writes to the enterprise file. Every function is keyword-only, checks who is asking,
validates through the model, writes an ``EnterpriseEvent`` and raises ``DomainError``
(field -> Chinese message) when refused, inside one transaction so nothing is half-written.
"""

from enterprises.services.enterprises import (
    enterprise_can_submit,
    enterprise_register,
    enterprise_reject_verification,
    enterprise_resubmit_verification,
    enterprise_set_credit_block,
    enterprise_update_profile,
    enterprise_verify,
    member_invite,
    normalize_enterprise_data,
)
from enterprises.services.indicators import (
    IndicatorImportError,
    indicator_delete,
    indicator_set,
    indicators_import_excel,
)

__all__ = [
    "IndicatorImportError",
    "enterprise_can_submit",
    "enterprise_register",
    "enterprise_reject_verification",
    "enterprise_resubmit_verification",
    "enterprise_set_credit_block",
    "enterprise_update_profile",
    "enterprise_verify",
    "indicator_delete",
    "indicator_set",
    "indicators_import_excel",
    "member_invite",
    "normalize_enterprise_data",
]
