from django import forms
from django.urls import reverse_lazy


class MarkdownTextarea(forms.Textarea):
    """Textarea for Markdown with a "Vista previa" button (static/js/admin-markdown.js)."""

    def __init__(self, attrs=None):
        attrs = {"rows": 16, "class": "vLargeTextField markdown-input", **(attrs or {})}
        attrs.setdefault("data-preview-url", reverse_lazy("markdown-preview"))
        super().__init__(attrs)

    class Media:
        js = ("js/admin-markdown.js",)
        css = {"all": ("css/admin.css",)}
