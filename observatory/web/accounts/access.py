"""Access control for views: capability checks and organisation scoping.

Two rules, applied everywhere:
- a view that needs a capability is wrapped in `@requires(Capability.X)` (403 otherwise);
- a query for organisation-owned records goes through a `*_visible_to(user)` function, so a
  record outside the user's scope is simply not found (404), whatever id they guess.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from observatory.web.accounts.models import Organisation
from observatory.web.accounts.roles import Capability, may


def requires(capability: Capability):
    """View decorator: 403 unless the logged-in user's role grants `capability`."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not may(request.user, capability):
                raise PermissionDenied(f"Your role does not include {capability.value}.")
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def organisations_visible_to(user):
    """The organisations `user` may look at: all of them, or only their own."""
    if may(user, Capability.VIEW_ALL_ORGANISATIONS):
        return Organisation.objects.all()
    if not user.is_authenticated or user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=user.organisation_id)
