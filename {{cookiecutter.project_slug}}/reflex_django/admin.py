"""The lockouts in Django's admin: who is refused, until when, and a way to lift it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Lockout


@admin.register(Lockout)
class LockoutAdmin(admin.ModelAdmin):
    list_display = ["identity", "scope", "locked_at", "expires_at", "active"]
    list_filter = ["scope"]
    search_fields = ["identity"]
    actions = ["lift"]
    readonly_fields = ["scope", "identity", "locked_at", "expires_at"]

    @admin.display(boolean=True, description=_("active"))
    def active(self, lockout: Lockout) -> bool:
        return lockout.is_active

    @admin.action(description=_("Lift the selected lockouts"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Lockout]) -> None:
        count = 0
        for lockout in queryset:
            lockout.lift()
            count += 1
        message = ngettext("Lifted %(count)d lockout.", "Lifted %(count)d lockouts.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the throttle makes them
