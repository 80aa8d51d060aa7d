"""What the police's Home Office offence codes mean for violence analysis.

Each code of the force extract that counts as violence maps to its ONS offence group; the
groups follow the ONS "crime in England and Wales" classification. Codes not listed here
(burglary, theft, criminal damage, public order…) are not violence and do not appear in
the analysis of violence. The list covers the codes a force's violence extract carries;
a code missing here is counted under `OTHER` by `offence_group` so it is never lost.
"""

from __future__ import annotations

HOMICIDE = "Homicide"
VIOLENCE_WITH_INJURY = "Violence with injury"
VIOLENCE_WITHOUT_INJURY = "Violence without injury"
STALKING_AND_HARASSMENT = "Stalking and harassment"
SEXUAL_OFFENCES = "Sexual offences"
ROBBERY = "Robbery"
POSSESSION_OF_WEAPONS = "Possession of weapons"
OTHER = "Other offences"

OFFENCE_GROUPS: dict[str, str] = {
    "1": HOMICIDE,  # murder
    "4.1": HOMICIDE,  # manslaughter
    "2": VIOLENCE_WITH_INJURY,  # attempted murder
    "5D": VIOLENCE_WITH_INJURY,  # assault with intent to cause serious harm
    "5E": VIOLENCE_WITH_INJURY,  # endangering life
    "8N": VIOLENCE_WITH_INJURY,  # assault with injury
    "8S": VIOLENCE_WITH_INJURY,  # assault with injury on a constable
    "3A": VIOLENCE_WITHOUT_INJURY,  # threats to kill
    "105A": VIOLENCE_WITHOUT_INJURY,  # assault without injury
    "105B": VIOLENCE_WITHOUT_INJURY,  # assault without injury on a constable
    "8P": STALKING_AND_HARASSMENT,  # controlling or coercive behaviour
    "8Q": STALKING_AND_HARASSMENT,  # stalking
    "8R": STALKING_AND_HARASSMENT,  # harassment
    "17A": SEXUAL_OFFENCES,  # sexual assault on a female aged 13 and over
    "17B": SEXUAL_OFFENCES,  # sexual assault on a female child under 13
    "19C": SEXUAL_OFFENCES,  # rape of a female aged 16 and over
    "19D": SEXUAL_OFFENCES,  # rape of a female child under 16
    "34A": ROBBERY,  # robbery of business property
    "34B": ROBBERY,  # robbery of personal property
    "10A": POSSESSION_OF_WEAPONS,  # possession of firearms with intent
    "10C": POSSESSION_OF_WEAPONS,  # possession of other weapons
    "10D": POSSESSION_OF_WEAPONS,  # possession of article with blade or point
}

# The groups counted as violence: violence against the person, sexual offences, robbery.
# The police.uk equivalents are the crime types below.
VIOLENCE_GROUPS = (
    HOMICIDE,
    VIOLENCE_WITH_INJURY,
    VIOLENCE_WITHOUT_INJURY,
    STALKING_AND_HARASSMENT,
    SEXUAL_OFFENCES,
    ROBBERY,
)
POLICE_UK_VIOLENCE = ("Violence and sexual offences", "Robbery")

# The Home Office's knife or sharp instrument offences: the selected offences that count
# when a knife or sharp instrument was used or threatened (homicide, attempted murder,
# threats to kill, assault with injury or intent to cause serious harm, robbery, rape,
# sexual assault).
KNIFE_MEASURE_CODES = ("1", "2", "3A", "5D", "8N", "34A", "34B", "17A", "17B", "19C", "19D")
