"""The sections of the site, in navigation order, and who may open each.

One list drives both the navigation bar and the section views, so a link is shown exactly
when the page behind it would open. Later issues replace a section's landing view with the
real one and keep its entry here.
"""

from dataclasses import dataclass

from observatory.web.accounts.roles import Capability, may


@dataclass(frozen=True)
class Section:
    """A section at /<slug>/. `landing` names the URL the navigation opens for the people
    who may use the section: the slug itself, unless the section's address is a public page
    and its members work elsewhere (training: /training/ lists sessions for everyone, and
    coordinators land on /training/manage/)."""

    slug: str
    title: str
    capability: Capability
    summary: str
    landing: str = ""

    def __post_init__(self):
        if not self.landing:
            object.__setattr__(self, "landing", self.slug)


SECTIONS = [
    Section(
        "dashboards",
        "Dashboards",
        Capability.VIEW_DASHBOARDS,
        "Where, when and to whom violence happens: police-recorded crime and emergency-"
        "department assaults for your area, with trends, maps and comparisons.",
    ),
    Section(
        "programmes",
        "Programmes",
        Capability.VIEW_PROGRAMMES,
        "The register of commissioned programmes and the providers' quarterly returns: who "
        "was reached, where, with what outcome.",
    ),
    Section(
        "training",
        "Training",
        Capability.MANAGE_TRAINING,
        "Courses, sessions, bookings and attendance; consultation groups and contributors.",
        landing="training-manage",
    ),
    Section(
        "incidents",
        "Incidents",
        Capability.MANAGE_INCIDENTS,
        "Serious incidents and the partnership's coordinated response.",
    ),
    Section(
        "knowledge",
        "Knowledge",
        Capability.VIEW_KNOWLEDGE,
        "Evaluations, good practice, the directory of local services and stakeholder networks.",
    ),
    Section(
        "data",
        "Data",
        Capability.MANAGE_DATA,
        "Imports of police and emergency-department data, rejected rows for review, and the "
        "state of the lake.",
    ),
]

SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def sections_for(user) -> list[Section]:
    """The sections `user` may open, in navigation order."""
    return [section for section in SECTIONS if may(user, section.capability)]
