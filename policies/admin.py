from django.contrib import admin

from policies.models import ApplicationBatch, Calculation, Clause, ClauseRuleVersion, Policy


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
