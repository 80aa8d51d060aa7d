"""The partner dashboards under /dashboards/: partners, analysts and administrators
(VIEW_DASHBOARDS), true counts, every source and area level down to small areas.

Each view is one page of `pages.PAGES`; pages.py builds them from the dashboards' panels.
"""

from django.views.decorators.http import require_safe

from observatory.analysis.disclosure import Audience
from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability
from observatory.web.dashboards.pages import render_page

partners_only = requires(Capability.VIEW_DASHBOARDS)


def _page(key: str):
    @partners_only
    @require_safe
    def view(request):
        return render_page(request, key, Audience.PARTNER)

    view.__name__ = view.__qualname__ = key
    view.__doc__ = f"The partner dashboards' {key} page."
    return view


overview = _page("overview")
map_view = _page("map")
time = _page("time")
who = _page("who")
compare = _page("compare")
