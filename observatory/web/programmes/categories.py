"""The categories a provider's return is broken down by, in the order forms and templates
show them. Each breakdown has a "not known" category, so that every participant can be
counted and the breakdowns can add up to the headline.

Ethnic groups are the five high-level groups of the 2021 Census in England and Wales (ONS).
Local authority of residence uses the partnership's LocalAuthority codes plus two categories
of its own (OUTSIDE_REGION, NOT_KNOWN).
"""

NOT_KNOWN = "not_known"
OUTSIDE_REGION = "outside_region"

AGE_BANDS = [
    ("0-9", "0 to 9"),
    ("10-14", "10 to 14"),
    ("15-17", "15 to 17"),
    ("18-24", "18 to 24"),
    ("25+", "25 and over"),
    (NOT_KNOWN, "Age not known"),
]
# Age bands of young people (aged 24 and under) in the partnership's reach figures.
YOUNG_AGE_BANDS = {"0-9", "10-14", "15-17", "18-24"}
ADULT_AGE_BANDS = {"25+"}

SEXES = [
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other"),
    (NOT_KNOWN, "Not known"),
]

ETHNIC_GROUPS = [
    ("asian", "Asian, Asian British or Asian Welsh"),
    ("black", "Black, Black British, Black Welsh, Caribbean or African"),
    ("mixed", "Mixed or Multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    (NOT_KNOWN, "Not known"),
]

REFERRAL_SOURCES = [
    ("ed", "Emergency department"),
    ("school", "School or college"),
    ("police", "Police"),
    ("youth_justice", "Youth justice"),
    ("social_care", "Children's social care"),
    ("health", "Other health service"),
    ("family", "Family or friend"),
    ("self", "Self-referral"),
    ("other", "Other"),
]

# The breakdowns of participants that must add up to the headline number reached.
PARTICIPANT_DIMENSIONS = ["age_band", "sex", "ethnicity", "local_authority"]
DIMENSIONS = [*PARTICIPANT_DIMENSIONS, "referral_source"]
DIMENSION_LABELS = {
    "age_band": "age band",
    "sex": "sex",
    "ethnicity": "ethnic group",
    "local_authority": "local authority of residence",
    "referral_source": "referral source",
}


def fixed_categories(dimension: str) -> list[tuple[str, str]]:
    """The (code, label) categories of a dimension other than local authority, whose
    categories come from the database (see `local_authority_categories`)."""
    return {
        "age_band": AGE_BANDS,
        "sex": SEXES,
        "ethnicity": ETHNIC_GROUPS,
        "referral_source": REFERRAL_SOURCES,
    }[dimension]


def local_authority_categories() -> list[tuple[str, str]]:
    """The region's local authorities by ONS code, then outside the region and not known."""
    from observatory.web.accounts.models import LocalAuthority

    return [
        *LocalAuthority.objects.values_list("code", "name"),
        (OUTSIDE_REGION, "Outside the region"),
        (NOT_KNOWN, "Not known"),
    ]


def categories(dimension: str) -> list[tuple[str, str]]:
    """The (code, label) categories of any breakdown dimension."""
    if dimension == "local_authority":
        return local_authority_categories()
    return fixed_categories(dimension)
