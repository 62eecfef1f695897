"""Forms of the supervision pages: they validate at the boundary, the services decide."""

from __future__ import annotations

from django import forms

from gongkai.supervision.models import FindingState

_CONTROL = {chr(c) for c in range(32)} - {"\n", "\r", "\t"}


def _no_control(value: str) -> str:
    if any(c in _CONTROL for c in value):
        raise forms.ValidationError("含有不可见的控制字符。")
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    title = forms.CharField(label="批次名称", max_length=100, required=False)
    files = MultipleFileField(
        label="年报文件", help_text="可多选；也可上传 ZIP 压缩包（PDF、DOCX、HTML、文本）。"
    )

    def clean_title(self) -> str:
        return _no_control(self.cleaned_data["title"])


class FetchForm(forms.Form):
    url = forms.URLField(label="年报网址", max_length=1000, assume_scheme="https")


class ReviewForm(forms.Form):
    to = forms.ChoiceField(choices=FindingState.choices)
    reason = forms.CharField(max_length=500, required=False)

    def clean_reason(self) -> str:
        return _no_control(self.cleaned_data["reason"])


class CorrectionForm(forms.Form):
    cell = forms.CharField(max_length=100)
    value = forms.CharField(max_length=30)
    reason = forms.CharField(max_length=500)

    def clean_reason(self) -> str:
        return _no_control(self.cleaned_data["reason"])


class AssignForm(forms.Form):
    agency = forms.IntegerField(min_value=1)
    year = forms.IntegerField(min_value=2008, max_value=2100)


class NoticeForm(forms.Form):
    requirement = forms.CharField(max_length=1000, required=False)
    due = forms.DateField(required=False)

    def clean_requirement(self) -> str:
        return _no_control(self.cleaned_data["requirement"])


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", max_length=2000, widget=forms.Textarea)
    report = forms.FileField(label="整改后的年报（可选）", required=False)

    def clean_answer(self) -> str:
        return _no_control(self.cleaned_data["answer"])
