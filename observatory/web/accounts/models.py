"""Organisations and the people who use Observatory on their behalf."""

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from observatory.web.accounts.roles import Role

ONS_LOCAL_AUTHORITY_CODE = re.compile(r"^E0[6-9]\d{6}$")


class LocalAuthority(models.Model):
    """A local authority area, by its ONS code (E06/E07/E08/E09…).

    The West Midlands' seven are loaded by a migration; geography imports may add others.
    """

    code = models.CharField("ONS code", max_length=9, primary_key=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name

    def clean(self):
        if not ONS_LOCAL_AUTHORITY_CODE.match(self.code or ""):
            raise ValidationError({"code": "An ONS local authority code looks like E08000025."})


class Organisation(models.Model):
    """A member of the partnership: a force, a council, a trust, a school, a charity…

    `local_authority` is the area the organisation works for; empty means region-wide (the
    force, the VRP core team). Partner users see aggregates for that area.
    """

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY = "voluntary", "Voluntary & community"
        VRP_CORE = "vrp_core", "VRP core team"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="Leave empty for a region-wide organisation.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def area_name(self) -> str:
        return self.local_authority.name if self.local_authority else "Whole region"


class ObservatoryUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.VRP_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person with one role, working for one organisation.

    The role is the single source of truth for access: `is_staff` and `is_superuser` are
    derived from it on every save (only VRP administrators reach the Django admin), so they
    can never drift apart. Every role but VRP administrator must belong to an organisation,
    because organisation and its area are what scope the user's queries.
    """

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    objects = ObservatoryUserManager()

    class Meta:
        ordering = ["username"]

    def clean(self):
        super().clean()
        if self.organisation_id is None and self.role != Role.VRP_ADMIN:
            message = "Every user except a VRP administrator belongs to an organisation."
            raise ValidationError({"organisation": message})

    def save(self, *args, **kwargs):
        self.is_staff = self.is_superuser = self.role == Role.VRP_ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)
