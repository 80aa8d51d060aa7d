"""Django admin for training: courses and sessions for administrators' repairs; bookings
read-only, because a booking's status must only change through the booking rules
(booking.py), which keep capacity, the waitlist's order and the e-mails right."""

from django.contrib import admin

from observatory.web.training.models import Booking, Course, Session


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "delivery_partner", "updated_at"]
    search_fields = ["title", "description", "delivery_partner"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "kind", "starts_at", "capacity", "cancelled"]
    list_filter = ["kind", "cancelled", "requires_approval"]
    date_hierarchy = "starts_at"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["pk", "session", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["session__course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
