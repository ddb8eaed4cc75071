from django.contrib import admin

from policies.models import ApplicationBatch, Calculation, Clause, ClauseRuleVersion, Policy
from policies.services import application_batch_audit


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = (
        "article",
        "code",
        "title",
        "category",
        "redemption_mode",
        "application_opens",
        "application_closes",
    )
    extra = 0
    show_change_link = True


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("doc_number", "title", "level", "issued_on", "effective_to", "status")
    list_filter = ("level", "status")
    search_fields = ("doc_number", "title")
    inlines = [ClauseInline]


class ApplicationBatchInline(admin.TabularInline):
    """申报批次: later periods are added here; the text's 原申报时间 is rewritten by load_policies."""

    model = ApplicationBatch
    fields = ("name", "opens_on", "closes_on", "is_demo", "note")
    extra = 0


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    inlines = [ApplicationBatchInline]

    def save_formset(self, request, form, formset, change):
        """Every batch opened, moved or removed here is audited like one opened by the service."""
        removed = []
        if formset.model is ApplicationBatch:
            removed = [(f.instance, f.instance.pk) for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        if formset.model is ApplicationBatch:
            for batch in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                application_batch_audit(batch=batch, actor=request.user)
            for batch, pk in removed:
                application_batch_audit(batch=batch, actor=request.user, removed=True, pk=pk)

    list_display = (
        "code",
        "title",
        "category",
        "redemption_mode",
        "application_opens",
        "application_closes",
    )
    list_filter = ("policy", "category", "redemption_mode")
    search_fields = ("code", "title")


@admin.register(ClauseRuleVersion)
class ClauseRuleVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are published through the rule editor, never edited."""

    list_display = ("clause", "number", "effective_from", "created_by", "created_at")
    readonly_fields = [f.name for f in ClauseRuleVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Calculation)
class CalculationAdmin(admin.ModelAdmin):
    list_display = ("clause", "source", "eligible", "amount_fen", "created_by", "created_at")
    list_filter = ("source", "eligible")
    readonly_fields = [f.name for f in Calculation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
