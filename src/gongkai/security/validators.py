"""The free-text rules as Django validators, for model fields and form fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from gongkai.security.text import CONTROL_MESSAGE, has_forbidden_chars


def validate_no_control_chars(value: object) -> None:
    """Model/form validator form of the control-character rule."""
    if isinstance(value, str) and has_forbidden_chars(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def text_validators(limit: int) -> list[object]:
    """Validators for a model TextField that is bounded (the database constraint backs them)."""
    return [MaxLengthValidator(limit), validate_no_control_chars]
