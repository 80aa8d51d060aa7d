"""The JSON API under /api/, described at /api/openapi.json (django-ninja writes the
description from these functions).

Every endpoint takes the dashboards' query string (see `query.py`) and `format=csv` for a
download of the same rows. Two audiences:

- `/api/…` for logged-in partners, analysts and administrators (VIEW_DASHBOARDS): true
  counts, every source and area level, the premises ranking;
- `/api/public/…` for everyone, no login: local authorities and wards only, police.uk and ED
  aggregates only, and every table under the partnership's disclosure rule.

The dashboards' own pages link their downloads here, so a page and its CSV agree.
"""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Router
from ninja.errors import HttpError

from observatory.analysis.disclosure import Audience
from observatory.errors import ObservatoryError
from observatory.web.accounts.roles import Capability, may
from observatory.web.dashboards import services
from observatory.web.dashboards.boundaries import boundaries as boundary_geojson
from observatory.web.dashboards.lake import current_engine, remembered
from observatory.web.dashboards.query import LEVEL_COLUMN, DashboardQuery
from observatory.web.programmes.api import router as programmes_router

BREAKDOWNS = ("age_band", "sex", "under_25", "category", "location_type", "knife", "domestic")

api = NinjaAPI(
    title="Observatory",
    version="1",
    description=__doc__,
    docs_url=None,  # the interactive docs load scripts from the internet; the JSON is enough
    urls_namespace="api",
)
partner = Router(tags=["partners"])
public = Router(tags=["public"])


def _partner_only(request: HttpRequest) -> None:
    if not may(request.user, Capability.VIEW_DASHBOARDS):
        raise HttpError(403 if request.user.is_authenticated else 401, "log in as a partner")


def _query(request: HttpRequest, audience: Audience) -> DashboardQuery:
    try:
        query = DashboardQuery.from_params(request.GET, current_engine())
        if audience is Audience.PUBLIC:
            services.check_public(query)
    except ObservatoryError as error:
        raise HttpError(400, str(error)) from None
    return query


def _respond(request: HttpRequest, panel: services.Panel) -> HttpResponse:
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        panel.table.write_csv(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{panel.name}.csv"'
        return response
    return JsonResponse(panel.as_json())


def _panel(request, audience: Audience, build):
    if audience is Audience.PARTNER:
        _partner_only(request)
    query = _query(request, audience)
    try:
        return _respond(request, build(query))
    except ObservatoryError as error:
        raise HttpError(400, str(error)) from None


def _endpoints(router: Router, audience: Audience) -> None:
    """The same endpoints for one audience."""

    @router.get(
        "/areas",
        operation_id=f"{audience.value}_areas",
        summary="Counts and rates per area, one level below `area`",
    )
    def areas(request):
        return _panel(request, audience, lambda q: services.areas(q, audience))

    @router.get(
        "/trend",
        operation_id=f"{audience.value}_trend",
        summary="Monthly counts, rolling 12 months, seasonal expectation",
    )
    def trend(request):
        return _panel(request, audience, lambda q: services.trend(q, audience))

    @router.get(
        "/profile",
        operation_id=f"{audience.value}_profile",
        summary="Counts by hour of day and day of week",
    )
    def profile(request):
        return _panel(request, audience, lambda q: services.profile(q, audience))

    @router.get(
        "/breakdown/{by}",
        operation_id=f"{audience.value}_breakdown",
        summary="Counts by age band, sex, method, location…",
    )
    def breakdown(request, by: str):
        if by not in BREAKDOWNS:
            raise HttpError(404, f"no breakdown by {by!r}: choose from {', '.join(BREAKDOWNS)}")
        return _panel(request, audience, lambda q: services.breakdown(q, audience, by))

    @router.get(
        "/measures",
        operation_id=f"{audience.value}_measures",
        summary="Home Office serious-violence measures",
    )
    def measures(request):
        return _panel(request, audience, lambda q: services.measures(q, audience))

    @router.get(
        "/boundaries",
        operation_id=f"{audience.value}_boundaries",
        summary="GeoJSON outlines of the areas one level below `area`",
    )
    def boundaries(request):
        if audience is Audience.PARTNER:
            _partner_only(request)
        query = _query(request, audience)
        within = (LEVEL_COLUMN[query.area.level], query.area.code) if query.area else None
        outlines = remembered(
            ("boundaries", query.child_level, within),
            lambda: boundary_geojson(current_engine(), query.child_level, within),
        )
        return JsonResponse(outlines)


_endpoints(partner, Audience.PARTNER)
_endpoints(public, Audience.PUBLIC)


@partner.get("/premises", summary="Licensed premises ranked by linked ED assaults")
def premises(request):
    return _panel(request, Audience.PARTNER, lambda q: services.premises(q, Audience.PARTNER))


@partner.get("/hexes", summary="Located events in hexagons, for analysts' density maps")
def hexes(request, size: int = 500):
    if not may(request.user, Capability.VIEW_RECORD_LEVEL):
        raise HttpError(403 if request.user.is_authenticated else 401, "for analysts only")
    if not 100 <= size <= 5000:
        raise HttpError(400, "size must be between 100 and 5,000 metres")
    query = _query(request, Audience.PARTNER)
    return _respond(request, services.hexes(query, size))


api.add_router("/public/", public)
api.add_router("/programmes/", programmes_router)
api.add_router("/", partner)
