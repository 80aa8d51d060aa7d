"""Django admin for VRP administrators: organisations, users and local authorities."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from observatory.web.accounts.models import LocalAuthority, Organisation, User

admin.site.site_header = "Observatory administration"
admin.site.site_title = "Observatory admin"


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["name"]


@admin.register(User)
class ObservatoryUserAdmin(UserAdmin):
    """The stock user admin, with role and organisation in place of staff and superuser flags
    (those follow from the role; see User.save)."""

    list_display = ["username", "email", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["role", "organisation", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "role", "organisation", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
