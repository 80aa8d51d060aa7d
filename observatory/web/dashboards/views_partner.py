"""The partner dashboards under /dashboards/: partners, analysts and administrators
(VIEW_DASHBOARDS), true counts, every source and area level down to small areas.

Each view is one page of `pages.PAGES`; pages.py builds them from the dashboards' panels.
"""

from observatory.analysis.disclosure import Audience
from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability
from observatory.web.dashboards.pages import page_view

partners_only = requires(Capability.VIEW_DASHBOARDS)

overview = page_view("overview", Audience.PARTNER, partners_only)
map_view = page_view("map", Audience.PARTNER, partners_only)
time = page_view("time", Audience.PARTNER, partners_only)
who = page_view("who", Audience.PARTNER, partners_only)
compare = page_view("compare", Audience.PARTNER, partners_only)
