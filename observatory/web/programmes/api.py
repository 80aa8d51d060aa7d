"""The programmes and returns API, mounted at /api/programmes/ (see dashboards/api.py).

- GET /api/programmes/ — the programmes the caller may see, with their basic fields;
- GET /api/programmes/{id}/returns — that programme's returns, every status, with figures,
  breakdowns and outcomes;
- GET /api/programmes/{id}/returns/{quarter} — one return; `quarter` is its first day
  (2025-07-01) or its label (2025-26 Q2).

Same rules as the pages: 401 for anonymous callers, 403 for roles without VIEW_PROGRAMMES,
and a programme or return outside the caller's scope is 404, found only through
`programmes_visible_to` and `returns_visible_to`.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from observatory.errors import ObservatoryError
from observatory.web.accounts.roles import Capability, may
from observatory.web.programmes import categories
from observatory.web.programmes.models import Programme, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.returns import figures_of, returns_visible_to
from observatory.web.programmes.services import programmes_visible_to

router = Router(tags=["programmes"])


def _viewer_only(request: HttpRequest) -> None:
    if not may(request.user, Capability.VIEW_PROGRAMMES):
        raise HttpError(
            403 if request.user.is_authenticated else 401, "log in as a provider or a lead"
        )


def _programme(request: HttpRequest, programme_id: int) -> Programme:
    _viewer_only(request)
    return get_object_or_404(programmes_visible_to(request.user), pk=programme_id)


def _programme_json(programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "provider": programme.provider.name,
        "workstream": programme.workstream,
        "commissioner": programme.commissioner,
        "funding_source": programme.funding_source.name,
        "approach": programme.approach.name,
        "amount": str(programme.amount),
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "status": programme.status,
        "expected_quarterly_reach": programme.expected_quarterly_reach,
        "local_authorities": sorted(la.code for la in programme.local_authorities.all()),
    }


def _return_json(quarterly_return: QuarterlyReturn) -> dict:
    """A return with its figures; every category of every breakdown is listed (0 when not
    reported), so a caller needs no list of categories to read it."""
    figures = figures_of(quarterly_return)
    quarter = quarterly_return.quarter
    return {
        "programme": quarterly_return.programme_id,
        "quarter": quarter.label,
        "quarter_start": quarter.start.isoformat(),
        "due": quarter.due.isoformat(),
        "status": quarterly_return.status,
        "submitted_at": _timestamp(quarterly_return.submitted_at),
        "accepted_at": _timestamp(quarterly_return.accepted_at),
        "participants": figures.participants,
        "participants_new": figures.participants_new,
        "participants_continuing": figures.participants_continuing,
        "sessions_delivered": figures.sessions_delivered,
        "hours_delivered": str(figures.hours_delivered),
        "professionals_trained": figures.professionals_trained,
        "referrals_onward": figures.referrals_onward,
        "reach_explanation": figures.reach_explanation,
        "case_study": figures.case_study,
        "breakdowns": {
            dimension: {
                code: figures.breakdowns.get(dimension, {}).get(code, 0)
                for code, _ in categories.categories(dimension)
            }
            for dimension in categories.DIMENSIONS
        },
        "outcomes": figures.outcomes,
    }


def _timestamp(moment) -> str | None:
    return moment.isoformat() if moment else None


@router.get("/", summary="The programmes you may see")
def programmes(request):
    _viewer_only(request)
    visible = programmes_visible_to(request.user).prefetch_related("local_authorities")
    return {"programmes": [_programme_json(programme) for programme in visible]}


@router.get("/{programme_id}/returns", summary="A programme's quarterly returns")
def programme_returns(request, programme_id: int):
    programme = _programme(request, programme_id)
    found = returns_visible_to(request.user).filter(programme=programme).order_by("quarter_start")
    return {"programme": _programme_json(programme), "returns": [_return_json(r) for r in found]}


@router.get("/{programme_id}/returns/{quarter}", summary="One quarterly return")
def programme_return(request, programme_id: int, quarter: str):
    programme = _programme(request, programme_id)
    try:
        start = Quarter.parse(quarter).start
    except ObservatoryError as error:
        raise HttpError(404, str(error)) from None
    found = get_object_or_404(
        returns_visible_to(request.user), programme=programme, quarter_start=start
    )
    return _return_json(found)
