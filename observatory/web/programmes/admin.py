"""Django admin for the register's maintained lists: funding sources and approaches.

Programmes themselves are edited in the Programmes section, which records their history.
"""

from django.contrib import admin

from observatory.web.programmes.models import Approach, FundingSource


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]
