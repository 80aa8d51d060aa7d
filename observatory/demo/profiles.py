"""The demo region's rates, shares and time profiles: the assumptions in one place.

Figures are round numbers in the range of a large metropolitan force and its emergency
departments (about 25,000 police.uk rows and 900 ED assault attendances a month at scale 1).
"""

import numpy as np

FORCE = "West Midlands Police"
FORCE_SLUG = "west-midlands"

CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
VIOLENCE = CRIME_TYPES.index("Violence and sexual offences")
ASB = CRIME_TYPES.index("Anti-social behaviour")

# Monthly police.uk rows per 1,000 residents at scale 1, for the types not modelled as
# violent events (violence comes from the event process in events.py).
OTHER_CRIME_RATES = {
    "Anti-social behaviour": 1.35,
    "Bicycle theft": 0.06,
    "Burglary": 0.50,
    "Criminal damage and arson": 0.65,
    "Drugs": 0.13,
    "Other crime": 0.25,
    "Other theft": 0.42,
    "Possession of weapons": 0.09,
    "Public order": 0.60,
    "Robbery": 0.13,
    "Shoplifting": 0.50,
    "Theft from the person": 0.08,
    "Vehicle crime": 0.68,
}
# How strongly each type follows deprivation and night-time economy (log-linear weights).
OTHER_CRIME_DRIVERS = {
    "Anti-social behaviour": (0.8, 0.6),
    "Drugs": (1.0, 0.8),
    "Possession of weapons": (1.0, 0.7),
    "Public order": (0.7, 1.5),
    "Robbery": (0.9, 1.0),
    "Shoplifting": (0.2, 2.0),
    "Theft from the person": (0.3, 2.5),
}

OUTCOMES = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Awaiting court outcome",
    "Offender given a caution",
    "Local resolution",
    "Formal action is not in the public interest",
    "Further investigation is not in the public interest",
    "Action to be taken by another organisation",
    "Suspect charged as part of another case",
)
OUTCOME_SHARES = np.array([0.36, 0.30, 0.10, 0.08, 0.03, 0.04, 0.02, 0.02, 0.03, 0.02])

# Settings of a violent event; they drive time, victim, weapon, ED and police chances.
SETTINGS = ("home", "street", "licensed", "school", "workplace", "transport", "other")
HOME, STREET, LICENSED = 0, 1, 2
# Share of area-based violent events by setting (licensed premises come from the register).
AREA_SETTING_SHARES = np.array([0.42, 0.33, 0.0, 0.04, 0.06, 0.04, 0.11])
# ISTV location-type code for each setting.
ISTV_LOCATION_CODE = ("01", "02", "03", "04", "05", "06", "07")

# Violent events a month per 1,000 residents at scale 1 (true events, reported or not).
VIOLENCE_RATE = 4.4
# Events at licensed premises a month per premises-risk unit, scale 1.
LICENSED_RATE = 0.42
# Self-excitation: each event has Poisson(BRANCHING) follow-ups days later, nearby.
BRANCHING = 0.3
FOLLOW_UP_MEAN_DAYS = 3.0
FOLLOW_UP_SPREAD_M = 150.0
# Trend over years and seasonal swing (peak in July).
ANNUAL_TREND = 0.03
SEASONAL_AMPLITUDE = 0.12

# P(victim attends an ED) by setting; doubled for knives.
ED_CHANCE = np.array([0.035, 0.075, 0.13, 0.03, 0.04, 0.06, 0.05])
# P(police record | ED attendance) about a quarter, as in published Cardiff-model work.
POLICE_CHANCE_IF_ED = 0.25
POLICE_CHANCE_OTHERWISE = np.array([0.62, 0.52, 0.45, 0.40, 0.55, 0.55, 0.45])

# Victims: mean age, age spread (gamma shape), share male, by setting.
VICTIM_AGE = np.array([33.0, 26.0, 27.0, 14.5, 36.0, 28.0, 30.0])
VICTIM_AGE_SHAPE = np.array([9.0, 5.0, 9.0, 30.0, 9.0, 6.0, 6.0])
VICTIM_MALE = np.array([0.28, 0.74, 0.76, 0.6, 0.55, 0.6, 0.6])
DOMESTIC_CHANCE = np.array([0.85, 0.06, 0.02, 0.02, 0.02, 0.05, 0.12])
# Knife or sharp object: by setting, for victims under 25 and 25 and over.
KNIFE_CHANCE_YOUNG = np.array([0.05, 0.16, 0.05, 0.05, 0.04, 0.12, 0.10])
KNIFE_CHANCE_OLDER = np.array([0.04, 0.08, 0.03, 0.02, 0.02, 0.05, 0.05])

# ISTV assault method codes and, for non-knife assaults, their shares by setting.
METHOD_CODES = ("01", "02", "04", "05", "06", "99")  # 03 (knife) decided separately
METHOD_SHARES = np.array(
    [
        [0.72, 0.12, 0.03, 0.000, 0.09, 0.04],  # home
        [0.76, 0.10, 0.04, 0.004, 0.04, 0.056],  # street
        [0.64, 0.06, 0.22, 0.000, 0.03, 0.05],  # licensed
        [0.85, 0.06, 0.01, 0.000, 0.04, 0.04],  # school
        [0.75, 0.10, 0.03, 0.000, 0.07, 0.05],  # workplace
        [0.78, 0.08, 0.04, 0.002, 0.05, 0.048],  # transport
        [0.72, 0.11, 0.05, 0.002, 0.06, 0.058],  # other
    ]
)

# Police offence classes for violence: (Home Office code, description, weight).
VIOLENT_OFFENCES = (
    ("105A", "Assault without injury", 0.34),
    ("8N", "Assault with injury", 0.27),
    ("8R", "Harassment", 0.14),
    ("8Q", "Stalking", 0.05),
    ("5D", "Assault with intent to cause serious harm", 0.04),
    ("8P", "Controlling or coercive behaviour", 0.05),
    ("17A", "Sexual assault on a female aged 13 and over", 0.05),
    ("19C", "Rape of a female aged 16 and over", 0.04),
    ("3A", "Threats to kill", 0.02),
)
HOMICIDE = ("1", "Murder")
OTHER_OFFENCE_CODES = {
    "Bicycle theft": ("44", "Theft or unauthorised taking of a pedal cycle"),
    "Burglary": ("28E", "Burglary - residential"),
    "Criminal damage and arson": ("58C", "Criminal damage to a vehicle"),
    "Drugs": ("92E", "Possession of cannabis"),
    "Other crime": ("195", "Breach of a court order"),
    "Other theft": ("49", "Other theft"),
    "Possession of weapons": ("10D", "Possession of article with blade or point"),
    "Public order": ("9", "Public fear, alarm or distress"),
    "Robbery": ("34B", "Robbery of personal property"),
    "Shoplifting": ("46", "Shoplifting"),
    "Theft from the person": ("39", "Theft from the person"),
    "Vehicle crime": ("45", "Theft from a vehicle"),
}


def weekly_profiles() -> np.ndarray:
    """(setting, weekday 0=Monday, hour) probability tables that each sum to 1.

    Licensed-premises and street violence peak on Friday and Saturday nights from 22:00 to
    03:00 (early hours counted on the following calendar day); domestic violence peaks in
    the evening and at weekends; school violence happens in school hours on weekdays.
    """
    hours = np.arange(24)
    day_curve = 0.3 + np.exp(-(((hours - 17) / 4.5) ** 2))
    night = np.isin(hours, [22, 23, 0, 1, 2])
    profiles = np.ones((len(SETTINGS), 7, 24)) * day_curve
    profiles[HOME] = 0.4 + np.exp(-(((hours - 20) / 3.5) ** 2))
    profiles[HOME, 5:] *= 1.3
    for setting, strength in ((STREET, 3.0), (LICENSED, 9.0)):
        for weekday in range(7):
            evening = weekday in (4, 5)  # Friday, Saturday evenings
            early = weekday in (5, 6)  # the small hours of Saturday, Sunday
            boost = np.where(night & (hours >= 22), strength if evening else 1.0, 1.0)
            boost = np.where(night & (hours < 22), strength if early else 1.0, boost)
            profiles[setting, weekday] = day_curve * boost
    profiles[LICENSED, :, 6:17] *= 0.25
    school = np.where((hours >= 8) & (hours <= 16), 1.0, 0.05)
    profiles[SETTINGS.index("school")] = school
    profiles[SETTINGS.index("school"), 5:] = 0.02
    return profiles / profiles.sum(axis=(1, 2), keepdims=True)
