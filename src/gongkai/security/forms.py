"""Form classes every workspace and admin form builds on, so no text field is unguarded.

``HardenedForm``/``HardenedModelForm`` walk their fields once at construction: every text field
gets the control-character validator and a maximum length (a field without one is a programming
error, raised at once rather than shipped), and a required field made only of invisible
characters is treated as empty. ``FreeTextField`` is the field for comments and reasons.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from gongkai.security.text import BLANK_MESSAGE, is_blank
from gongkai.security.validators import validate_no_control_chars


class FreeTextField(forms.CharField):
    """A stripped, bounded text; whitespace/zero-width-only input counts as empty."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", BLANK_MESSAGE)
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "" if is_blank(text) else text


def harden_fields(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        if field.max_length is None and not isinstance(field.widget, forms.PasswordInput):
            raise TypeError(f"{type(form).__name__}.{name}: 文本字段必须设置 max_length。")
        if validate_no_control_chars not in field.validators:
            field.validators.append(validate_no_control_chars)
        if field.max_length is not None and not any(
            isinstance(v, MaxLengthValidator) for v in field.validators
        ):
            # A max_length set after construction (AuthenticationForm does so) adds no validator.
            field.validators.append(MaxLengthValidator(field.max_length))
        if field.required:
            field.error_messages["required"] = BLANK_MESSAGE


class HardenedMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden_fields(self)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if isinstance(value, str) and field is not None and field.required and is_blank(value):
                self.add_error(name, BLANK_MESSAGE)  # type: ignore[attr-defined]
        return cleaned


class HardenedForm(HardenedMixin, forms.Form):
    pass


class HardenedModelForm(HardenedMixin, forms.ModelForm):
    pass
