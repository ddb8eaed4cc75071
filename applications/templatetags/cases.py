"""Case words for templates: ``{% load cases %}``."""

from django import template

from applications.models import target_label

register = template.Library()


@register.simple_tag
def target_words(application, item) -> str:
    """A correction item's or check's object in words (the fact's label, not its code)."""
    return target_label(application.clause.code, item.kind, item.target)
