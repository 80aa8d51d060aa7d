"""Template context every page needs: the navigation the current user may follow."""

from observatory.web.accounts.roles import Capability, may
from observatory.web.shell.sections import sections_for


def navigation(request):
    user = request.user
    return {
        "nav_sections": sections_for(user),
        "nav_is_admin": may(user, Capability.ADMINISTER),
    }
