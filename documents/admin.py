from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.forms import LetterTemplateForm
from documents.letters import PLACEHOLDERS
from documents.models import LetterTemplate

# Letters are the coordinators' job; so is their template (no separate model permission to hand out).
LETTERS_PERMISSION = "conference.assess_candidacy"


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "file_name", "uploaded_at", "uploaded_by", "in_use"]
    list_select_related = ["uploaded_by"]
    search_fields = ["name", "file_name"]
    form = LetterTemplateForm
    readonly_fields = ["download"]

    def get_fields(self, request, obj=None):
        return ["name", "upload"] if obj is None else ["name", "download"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["fields"] = ["name"]
            kwargs["form"] = admin.ModelAdmin.form
        return super().get_form(request, obj, change=change, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["placeholders"] = list(PLACEHOLDERS.items())
        context["default_template_url"] = reverse("documents:default-letter-template")
        context["example_placeholder"] = "{{ recipient_name }}"
        context["example_condition"] = "{% if contact_phone %}…{% endif %}"
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(LETTERS_PERMISSION) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.has_perm(LETTERS_PERMISSION) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(LETTERS_PERMISSION) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(LETTERS_PERMISSION) or super().has_delete_permission(request, obj)

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("documents:letter-template-file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.file_name)

    @admin.display(description=_("in use"), boolean=True)
    def in_use(self, obj):
        return obj.is_current

    def get_queryset(self, request):
        newest = LetterTemplate.objects.order_by("-uploaded_at", "-pk").values("pk")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(is_current=ExpressionWrapper(Q(pk=Subquery(newest)), output_field=BooleanField()))
        )
