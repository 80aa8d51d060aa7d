"""Free text for the demo region: street, ward, area, venue and school names, and what
emergency-department receptionists type into ISTV's free-text fields.

Contract:

- Every public function takes a `numpy.random.Generator` as `rng` and draws all its
  randomness from it, never from `random` or numpy's global state: the same seed gives
  the same text, on every machine.
- Every value returned is a `str` (never a numpy string) with no leading or trailing
  whitespace; a blank free-text entry is "".
- `street_names`, `ward_names` and `area_names` return n different names in random order,
  and raise ValueError when n is negative or more than their word lists can make.
- The names are invented from British-sounding words. Any likeness to a real place or
  business is the chance that real ones are made from the same words.
"""

import functools
import itertools
import re
from typing import TypeVar

import numpy as np

# --- Word lists -------------------------------------------------------------------------

_TREES_AND_FLOWERS = (
    "Oak", "Ash", "Elm", "Beech", "Birch", "Willow", "Chestnut", "Hawthorn", "Holly",
    "Rowan", "Sycamore", "Maple", "Cedar", "Larch", "Poplar", "Hazel", "Laurel", "Lime",
    "Yew", "Alder", "Juniper", "Aspen", "Pine", "Walnut", "Cherry", "Hornbeam",
    "Blackthorn", "Elder", "Ivy", "Heather", "Bluebell", "Primrose", "Foxglove", "Clover",
    "Lavender", "Bramble", "Fern", "Rosemary", "Magnolia", "Acacia", "Linden", "Mulberry",
    "Orchard", "Meadow", "Daisy", "Violet", "Tulip", "Poppy", "Sorrel", "Thistle",
)  # fmt: skip

_FAMILIES = (
    "Cadbury", "Chamberlain", "Boulton", "Murdoch", "Baskerville", "Priestley", "Colmore",
    "Gough", "Calthorpe", "Lyttelton", "Arden", "Bracebridge", "Greville", "Grosvenor",
    "Howard", "Russell", "Spencer", "Cavendish", "Stanley", "Percy", "Neville", "Talbot",
    "Seymour", "Wentworth", "Beaufort", "Cecil", "Digby", "Hastings", "Ferrers", "Holte",
    "Lench", "Kenrick", "Nettlefold", "Chance", "Avery", "Lucas", "Austin", "Dunlop",
    "Elkington", "Gillott", "Wedgwood", "Darby", "Telford", "Brindley", "Cornwallis",
    "Fletcher", "Harrison", "Jenkins", "Lawrence", "Morris", "Owen", "Parker", "Taylor",
    "Turner", "Walker", "Wilson", "Wright", "Yates", "Bennett", "Carter", "Davies", "Evans",
    "Foster", "Hughes", "Jackson", "Kendall", "Marsh", "Newton", "Palmer", "Phillips",
    "Roberts", "Shaw", "Thompson", "Ward", "Webb", "Whitehouse", "Shakespeare", "Milton",
    "Tennyson", "Wordsworth", "Byron", "Dickens", "Kipling", "Chaucer", "Elgar",
    "Constable", "Gainsborough", "Nelson", "Wellington", "Raleigh", "Drake", "Cromwell",
    "Churchill", "Gladstone", "Disraeli", "Peel", "Pitt", "Attwood", "Galton", "Freeth",
)  # fmt: skip

_TOWNS = (
    "Hagley", "Stratford", "Warwick", "Coventry", "Lichfield", "Worcester", "Bromsgrove",
    "Alcester", "Kidderminster", "Walsall", "Tamworth", "Solihull", "Dudley", "Stourbridge",
    "Halesowen", "Redditch", "Evesham", "Kenilworth", "Leamington", "Rugby", "Nuneaton",
    "Bristol", "Pershore", "Tewkesbury", "Shrewsbury", "Ludlow", "Hereford", "Oxford",
    "Derby", "Leicester", "Chester", "Stafford", "Sutton", "Tettenhall", "Wednesbury",
    "Bilston", "Tipton", "Oldbury", "Smethwick", "Harborne", "Moseley", "Edgbaston",
    "Bordesley", "Aston", "Erdington", "Hockley", "Digbeth", "Deritend", "Ladywood",
    "Nechells", "Saltley", "Sparkbrook", "Balsall", "Yardley", "Stechford", "Quinton",
    "Weoley", "Bartley", "Longbridge", "Rednal", "Rubery", "Frankley", "Northfield",
    "Selly", "Handsworth", "Perry", "Witton", "Lozells", "Bournville", "Cotteridge",
    "Stirchley", "Hamstead", "Kingstanding", "Minworth", "Coleshill", "Knowle", "Shirley",
    "Olton", "Acocks", "Sheldon", "Marston", "Water Orton", "Castle Bromwich",
    "Wolverhampton", "Cannock", "Brierley", "Cradley", "Netherton", "Wollaston",
    "Amblecote", "Kinver", "Wombourne", "Penn", "Codsall", "Darlaston", "Willenhall",
    "Bloxwich", "Aldridge", "Pelsall", "Brownhills", "Rushall", "Streetly", "Lye",
)  # fmt: skip

_TRADES_AND_LANDMARKS = (
    "Foundry", "Forge", "Mill", "Tannery", "Brewery", "Wharf", "Canal", "Station",
    "Church", "Chapel", "School", "Market", "Dairy", "Smithy", "Weavers", "Coopers",
    "Tanners", "Masons", "Brickyard", "Kiln", "Quarry", "Colliery", "Pottery",
    "Glasshouse", "Ropewalk", "Lock", "Bridge", "Tollgate", "Turnpike", "Windmill",
    "Watermill", "Furnace", "Anvil", "Gunmakers", "Jewellers", "Needle", "Button", "Pen",
    "Saddlers", "Wheelwright", "Malthouse", "Granary", "Barn", "Rectory", "Vicarage",
    "Priory", "Abbey", "Castle", "Park", "Gas", "Engine", "Railway", "Pump", "Pinfold",
    "Workhouse", "Almshouse", "Beacon", "Tower", "Cemetery", "Hospital",
)  # fmt: skip

_SAINTS = (
    "St Mary's", "St John's", "St Peter's", "St Paul's", "St Andrew's", "St George's",
    "St Michael's", "St Mark's", "St Luke's", "St James's", "St Chad's", "St Martin's",
    "St Margaret's", "St Anne's", "St Alban's", "St Bernard's", "St Agnes", "St Helen's",
    "St Thomas's", "St Stephen's", "St Barnabas", "St Oswald's", "St Edmund's",
    "St Francis", "St Catherine's", "St Patrick's", "St Matthew's", "St Clement's",
)  # fmt: skip

_ROYALS = (
    "Victoria", "Albert", "Alexandra", "Edward", "George", "William", "Charles",
    "Elizabeth", "Mary", "Anne", "Queens", "Kings", "Princes", "Regent", "Coronation",
    "Jubilee", "Windsor", "York", "Gloucester", "Clarence", "Cambridge", "Cumberland",
    "Lancaster", "Tudor", "Stuart", "Hanover", "Sovereign", "Crown", "Empress", "Duke",
    "Duchess", "Earl", "Royal", "Adelaide", "Augusta", "Caroline", "Frederick", "Arthur",
)  # fmt: skip

_NATURE = (
    "Brook", "Spring", "Fox", "Badger", "Heron", "Kestrel", "Lark", "Swallow", "Wren",
    "Robin", "Thrush", "Linnet", "Falcon", "Hawk", "Owl", "Swan", "Otter", "Ridge",
    "Valley", "Moor", "Coppice", "Spinney", "Dingle", "Hollow", "Lea", "Brookside",
    "Lakeside", "Riverside", "Hillside", "Parkside", "Woodside", "Summer", "Sunny",
    "Pleasant", "Fair", "Long", "Broad", "High", "Cross", "Back", "Sand", "Stone",
    "Gravel", "Marl", "Clay", "Pool", "Lake", "River", "Well", "Springfield",
    "Greenfield", "Westfield", "Eastfield", "Southfield", "Highfield", "Fieldhouse",
    "Green", "Common", "Mount", "Vale", "Bank", "Island",
)  # fmt: skip

_STREET_FIRST_WORDS = (
    _TREES_AND_FLOWERS + _FAMILIES + _TOWNS + _TRADES_AND_LANDMARKS + _SAINTS + _ROYALS + _NATURE
)

# The second word of "Church Farm Road", "Kings Heath Road".
_STREET_MIDDLE_WORDS = (
    "Farm", "Green", "Hall", "Heath", "Park", "Mill", "Wood", "Lodge", "Manor", "Grange",
    "End", "Gate", "Hill", "Field",
)  # fmt: skip

# "Upper Church Lane"; none of these is a first word, so no name can be made two ways.
_STREET_PREFIXES = (
    "Upper", "Lower", "New", "Old", "North", "South", "East", "West", "Little", "Great",
    "Far", "Nether",
)  # fmt: skip

_STREET_SUFFIXES = (
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Grove", "Crescent",
    "Place", "Gardens", "Walk", "Terrace", "Rise", "Hill", "Row", "Parade", "Mews", "Croft",
    "View", "Square",
)  # fmt: skip

# How much more often a word appears in real names than a word not listed (weight 1).
_COMMONNESS = {
    "Road": 10.0, "Street": 8.0, "Lane": 6.0, "Avenue": 5.0, "Close": 5.0, "Drive": 4.0,
    "Way": 3.0, "Grove": 3.0, "Crescent": 3.0, "Place": 2.0, "Gardens": 2.0, "Walk": 1.5,
    "Terrace": 1.5, "Parade": 0.5, "Square": 0.5,
    "Church": 4.0, "Park": 4.0, "Mill": 3.0, "Station": 3.0, "High": 3.0, "Victoria": 2.0,
    "Queens": 2.0, "Kings": 2.0, "Farm": 3.0, "Green": 2.0, "Hall": 2.0,
}  # fmt: skip

# Ward and area names are grown from a first syllable and an English place-name ending.
_PLACE_ROOTS = (
    "Ash", "Oak", "Elm", "Birch", "Alder", "Thorn", "Brom", "Brad", "Bram", "Brock", "Chad",
    "Ched", "Cold", "Cot", "Dun", "Fair", "Fox", "Hart", "Hazel", "Kings", "Lang", "Lid",
    "Long", "Mar", "Mill", "Moss", "Nor", "Pen", "Red", "Rush", "Sand", "Shel", "Stan",
    "Sut", "Wal", "Wed", "Whit", "Wil", "Wyn", "Yard", "Bar", "Bil", "Bur", "Can", "Dar",
    "Hol", "Kin", "Stock", "Tat", "Wel", "Wor", "Brier", "Quin", "Har", "Sel", "Wes",
    "Hand", "Ald", "Ast", "Cal", "Ever", "Gold", "Ham", "Lyn", "Prest", "Rad",
)  # fmt: skip

_PLACE_ENDINGS = (
    "field", "wood", "ley", "ton", "ford", "bury", "well", "hurst", "dale", "more",
    "brook", "worth", "stone", "gate", "hall", "bridge", "wick", "by", "cote", "den",
    "combe", "stead",
)  # fmt: skip

# Two-word places: "Lodge Farm", "Hall Green", "Castle Vale", "Shard End".
_PLACE_FIRST_WORDS = (
    "Lodge", "Hall", "Castle", "Church", "Kings", "Queens", "Bishops", "Abbey", "Priory",
    "Friar", "Chapel", "Moor", "Hay", "Bell", "Stone", "Brook", "Heath", "Marsh", "Green",
    "Mill", "Oak", "Ash", "Acorn", "Shard", "Acocks", "Perry", "Hodge", "Tile", "Cole",
    "Lady", "Nether", "Spring", "Weoley", "Fox", "Tudor",
)  # fmt: skip

_PLACE_SECOND_WORDS = (
    "Farm", "Green", "Heath", "Vale", "End", "Cross", "Hill", "Park", "Common", "Gate",
    "Barr", "Hall", "Wood", "Bank",
)  # fmt: skip

_WARD_COMPASS = ("North", "South", "East", "West", "Central")

# The second half of "Oakwood & Hillside".
_WARD_PARTNERS = (
    "Hillside", "Brookside", "Parkside", "Riverside", "Woodlands", "Meadows", "Fields",
    "Valley", "Greenacres", "Lakeside", "Highfields", "Oaklands", "Springfield", "Heath",
    "Hollies",
)  # fmt: skip

_AREA_TAILS = (
    "Village", "Estate", "Park", "Green", "Heath", "Vale", "Common", "Fields", "Hill",
    "Gardens",
)  # fmt: skip

_AREA_PREFIXES = (
    "Upper", "Lower", "Little", "Great", "New", "Old", "North", "South", "East", "West",
)  # fmt: skip

# Venues. Invented brand words; real chains are left out on purpose.
_PUB_ADJECTIVES = (
    "Red", "White", "Black", "Golden", "Green", "Blue", "Old", "Royal", "Grey", "Silver",
)  # fmt: skip

_PUB_NOUNS = (
    "Lion", "Hart", "Horse", "Bull", "Swan", "Bell", "Oak", "Crown", "Anchor", "Plough",
    "Star", "Cross", "Boar", "Dragon", "Cock", "Eagle", "Fox", "Hound", "Stag", "Lamb",
    "Ship", "Sun", "Moon", "Harp", "Rose", "Castle", "Bear", "Greyhound", "Pheasant",
    "Mitre", "Barrel", "Wheatsheaf", "Woolpack", "Vine", "Gate", "Talbot", "Harrow",
    "Falcon", "Griffin", "Unicorn",
)  # fmt: skip

_PUB_STANDALONE = (
    "Railway", "Navigation", "Vaults", "Feathers", "Malt Shovel", "Hare & Hounds",
    "Cross Keys", "Coach & Horses", "Brewers Arms", "Hop Pole", "Old Contemptibles",
    "Bellfounders", "Junction", "Tap & Spile",
)  # fmt: skip

_PUB_HEADS = ("Kings", "Queens", "Nags", "Bulls", "Saracens", "Dukes", "Bricklayers")

_BAR_WORDS = (
    "Risa", "Vida", "Luna", "Nova", "Rio", "Soho", "Piccolo", "Roma", "Bella", "Fiesta",
    "Cuba", "Mambo", "Sol", "Blu", "Zinc", "Ruby", "Indigo", "Mojo", "Velvet", "Amber",
)  # fmt: skip

_BAR_ROOMS = (
    "Vault", "Cellar", "Loft", "Lounge", "Yard", "Cask", "Still", "Tap House", "Gin Room",
    "Cocktail Club", "Jam House", "Print Works", "Button Factory", "Engine Rooms",
)  # fmt: skip

_CLUB_WORDS = (
    "Vibe", "Neon", "Pulse", "Echo", "Fuse", "Flux", "Prysm", "Oasis", "Eden", "Halo",
    "Aura", "Onyx", "Glow", "Tempo", "Mirage", "Zodiac", "Fever", "Voltage", "Sanctum",
    "Atlas", "Bliss", "Nexus", "Lava", "Ignite", "Quantum",
)  # fmt: skip

_SOUTH_ASIAN_PLACES = (
    "Punjab", "Kashmir", "Lahore", "Bengal", "Delhi", "Goa", "Kerala", "Mumbai", "Sylhet",
    "Karachi", "Mirpur", "Amritsar", "Dhaka", "Jaipur",
)  # fmt: skip

_ITALIAN_NAMES = (
    "Il Forno", "La Toscana", "Il Gusto", "La Nonna", "Il Giardino", "La Piazza",
    "Il Padrino", "La Dolce Vita", "Casa Mia", "Da Marco", "Trattoria Roma",
    "Pizzeria Napoli",
)  # fmt: skip

_ORIENTAL_ADJECTIVES = (
    "Golden", "Lucky", "Jade", "Happy", "Great", "Oriental", "Red", "Imperial", "Silver",
    "Jasmine", "Royal", "Peking",
)  # fmt: skip

_ORIENTAL_NOUNS = (
    "Dragon", "Star", "Garden", "Palace", "House", "Wok", "Bamboo", "Panda", "Lotus",
    "Phoenix", "Pearl", "Moon", "Dynasty", "Orchid",
)  # fmt: skip

_FAST_FOODS = ("Chicken", "Pizza", "Kebab", "Burger", "Fish", "Wings", "Grill")

_FAST_FOOD_SHOPS = (
    "Palace", "House", "Land", "Express", "Shack", "Corner", "Spot", "Stop", "Hut",
    "Station", "Kitchen", "Bar",
)  # fmt: skip

_AMERICAN_PLACES = (
    "Texas", "Southern", "Tennessee", "Georgia", "Dallas", "Miami", "Chicago", "Atlanta",
    "Memphis", "Carolina", "Alabama", "Ohio",
)  # fmt: skip

_SHOP_BRANDS = (
    "Quickstop", "Supersave", "Kwik", "Handy", "Daily", "Easy", "Corner", "Village",
    "Family", "Star", "Best", "Local", "Late", "Nite Owl", "Shop Rite", "Value",
)  # fmt: skip

_OFF_LICENCE_KINDS = (
    "Wines", "Food & Wine", "Off Licence", "Convenience Store", "Mini Market", "Stores",
    "Booze", "Local", "Wine & Spirits", "News & Booze",
)  # fmt: skip

# Schools: (template, weight). "{}" is the area name.
_PRIMARY_SCHOOLS = (
    ("{} Primary School", 5.0), ("{} Junior and Infant School", 2.0),
    ("{} Primary Academy", 2.0), ("{} Community Primary School", 1.0),
    ("{} C of E Primary School", 1.0), ("{} Catholic Primary School", 0.7),
    ("{} Infant School", 0.5), ("{} Junior School", 0.5),
)  # fmt: skip

_SECONDARY_SCHOOLS = (
    ("{} Academy", 4.0), ("{} School", 2.0), ("{} High School", 2.0),
    ("{} Community School", 1.0), ("{} College", 1.0), ("{} Secondary School", 0.5),
    ("{} Girls' School", 0.3), ("{} Boys' School", 0.3),
)  # fmt: skip

# A school named after a saint is most often a church school.
_SAINT_PRIMARY_SCHOOLS = (
    ("{} C of E Primary School", 3.0), ("{} Catholic Primary School", 3.0),
    ("{} RC Primary School", 1.0), ("{} Primary School", 1.0),
    ("{} C of E Junior and Infant School", 1.0),
)  # fmt: skip

_SAINT_SECONDARY_SCHOOLS = (
    ("{} Catholic High School", 3.0), ("{} C of E Academy", 2.0),
    ("{} Catholic Academy", 2.0), ("{} School", 1.0),
)  # fmt: skip

# What receptionists type, by location type.
_BLANK_SHARE = 0.15

_HOME_PHRASES = (
    "home", "at home", "own home", "HOME", "pt's home", "pts home", "friends house",
    "partners address", "home address", "ex partners house", "family home", "mums house",
    "in the house", "house party", "at a party", "parents house", "his address",
    "her address", "flat", "own flat", "hostel", "girlfriends house", "boyfriends flat",
    "neighbours house", "home - domestic", "DV at home", "address", "relatives house",
)  # fmt: skip

_STREET_PHRASES = (
    "street", "city centre", "town centre", "in the street", "outside shop", "alleyway",
    "high st", "car park", "outside chip shop", "public place", "road", "underpass",
    "shop doorway", "outside takeaway", "cashpoint", "subway", "on the street",
    "walking home", "city centre - street", "outside shops", "precinct", "by the canal",
)  # fmt: skip

_LICENSED_PHRASES = (
    "pub", "club", "nightclub", "in a bar", "town centre pub", "outside club", "bar",
    "pub garden", "lic premises", "licensed premises", "in pub", "local pub",
    "outside nightclub", "club toilets", "in a club", "pub car park", "bar in town",
    "queue for club",
)  # fmt: skip

_SCHOOL_PHRASES = (
    "school", "outside school gates", "college", "at school", "school playground",
    "school field", "6th form college", "outside school", "walking home from school",
    "sch", "college canteen", "school toilets", "in class", "school bus", "PE lesson",
    "uni", "outside college",
)  # fmt: skip

_WORKPLACE_PHRASES = (
    "work", "at work", "workplace", "shop", "pt works at shop", "on duty", "hospital",
    "warehouse", "building site", "in work", "taxi", "care home", "security at club",
    "door staff", "at work - retail", "supermarket", "factory", "office", "petrol station",
    "on shift",
)  # fmt: skip

_TRANSPORT_PHRASES = (
    "bus", "on the bus", "on the train", "new st station", "train station", "tram stop",
    "on tram", "bus stop", "bus station", "taxi", "taxi rank", "metro", "railway station",
    "moor st station", "on a bus", "train", "snow hill", "platform", "bus shelter",
)  # fmt: skip

_OTHER_PHRASES = (
    "park", "in the park", "canal towpath", "shopping centre", "car park", "hospital",
    "prison", "garage", "field", "playing fields", "woods", "football ground", "gym",
    "church", "leisure centre", "custody", "recreation ground", "shop", "not known",
    "festival", "wedding", "funeral", "hotel", "cinema", "takeaway",
)  # fmt: skip

_UNKNOWN_PHRASES = (
    "not known", "unknown", "N/K", "n/k", "?", "pt unsure", "unk", "cannot remember",
    "not stated", "NK", "-", "declined to say", "pt doesnt know", "unknown location",
    "not given", "can't recall", "??",
)  # fmt: skip

_PHRASES_BY_LOCATION_TYPE = {
    "home": _HOME_PHRASES,
    "street": _STREET_PHRASES,
    "licensed": _LICENSED_PHRASES,
    "school": _SCHOOL_PHRASES,
    "workplace": _WORKPLACE_PHRASES,
    "transport": _TRANSPORT_PHRASES,
    "other": _OTHER_PHRASES,
    "unknown": _UNKNOWN_PHRASES,
}

# How clerks shorten a street suffix.
_STREET_ABBREVIATIONS = {
    "Street": "St", "Road": "Rd", "Lane": "Ln", "Avenue": "Ave", "Close": "Cl",
    "Drive": "Dr", "Crescent": "Cres", "Place": "Pl", "Grove": "Gr", "Gardens": "Gdns",
    "Terrace": "Terr", "Parade": "Pde", "Square": "Sq",
}  # fmt: skip

# (template, weight); "{}" is the street as the clerk wrote it, "{n}" a house number.
_STREET_FORMS = (
    ("{}", 4.0), ("nr {}", 2.0), ("near {}", 1.0), ("outside {n} {}", 1.5), ("on {}", 1.5),
    ("bus stop {}", 0.7), ("{} bus stop", 0.5), ("walking down {}", 0.5),
    ("o/s shops {}", 0.5), ("corner of {}", 0.5), ("{} shops", 0.4),
    ("alleyway off {}", 0.4), ("street - {}", 0.3), ("{} - outside shop", 0.4),
)  # fmt: skip

_VENUE_PREFIXES = (
    ("", 4.0), ("in ", 1.5), ("at ", 1.5), ("outside ", 1.5), ("o/s ", 0.5),
    ("nr ", 0.7), ("near ", 0.5), ("inside ", 0.4),
)  # fmt: skip

_VENUE_SUFFIXES = (
    ("", 6.0), (" pub", 1.2), (" club", 0.8), (" bar", 0.6), (" car park", 0.5),
    (" smoking area", 0.4), (" toilets", 0.3), (" beer garden", 0.2), (" (pub)", 0.2),
)  # fmt: skip

# Assault method "06 other", as typed. Real extracts also hold descriptions that belong to
# another code (a brick is a blunt object, 02); those are kept sparse.
_METHOD_OTHER = (
    "dog", "dog bite", "bitten", "bite", "human bite", "bike lock", "chair",
    "hot drink thrown", "hot water", "boiling water", "scald", "kettle", "stamped on",
    "car", "hit by car", "run over by car", "pushed", "pushed over", "pushed down stairs",
    "strangled", "strangulation", "choked", "burn", "cigarette burn", "acid",
    "corrosive liquid", "pepper spray", "sprayed in eyes", "mobile phone", "keys", "belt",
    "shoe", "thrown object", "fire extinguisher", "ashtray", "crutch", "walking stick",
    "scooter", "moped", "hair pulled", "scratched", "dragged", "thrown to floor",
    "window", "door slammed on hand", "fell during assault", "bike", "plate",
)  # fmt: skip

_METHOD_MISCODED = (
    "brick", "pool cue", "iron bar", "hammer", "baseball bat", "bat", "stick",
    "plank of wood", "metal pipe", "golf club", "rock", "stone", "punched", "kicked",
    "head butt", "fists", "punched and kicked", "stanley knife", "screwdriver",
    "broken glass", "pint glass",
)  # fmt: skip

_LONG_WORD = re.compile(r"[^\W\d_]{4,}")  # a run of four or more letters

_Weighted = TypeVar("_Weighted", bound=tuple)  # an option whose second item is its weight

# (template, weight, parts) for each premises type; "{}"s are filled from the parts in order.
_VENUE_PATTERNS = {
    "pub": (
        ("The {} {}", 4.0, (_PUB_ADJECTIVES, _PUB_NOUNS)),
        ("The {}", 3.0, (_PUB_NOUNS,)),
        ("The {}", 1.5, (_PUB_STANDALONE,)),
        ("The {} & {}", 1.5, (_PUB_NOUNS, _PUB_NOUNS)),
        ("The {} Arms", 1.5, (_FAMILIES + _ROYALS,)),
        ("The {} Head", 1.0, (_PUB_HEADS,)),
        ("The {} Tavern", 0.5, (_TOWNS,)),
        ("The {} Inn", 0.5, (_TOWNS + _PUB_NOUNS,)),
    ),
    "bar": (
        ("Bar {}", 3.0, (_BAR_WORDS,)),
        ("The {}", 2.0, (_BAR_ROOMS,)),
        ("{} Bar", 1.5, (_BAR_WORDS,)),
        ("{} Lounge", 1.0, (_BAR_WORDS,)),
        ("{} Cocktail Bar", 0.7, (_BAR_WORDS,)),
        ("{}'s", 0.8, (_FAMILIES,)),
    ),
    "nightclub": (
        ("{}", 4.0, (_CLUB_WORDS,)),
        ("Club {}", 3.0, (_CLUB_WORDS,)),
        ("{} Nightclub", 1.5, (_CLUB_WORDS,)),
        ("The {} Rooms", 0.8, (_CLUB_WORDS,)),
    ),
    "restaurant": (
        ("{} Balti House", 2.0, (_SOUTH_ASIAN_PLACES,)),
        ("Taste of {}", 1.5, (_SOUTH_ASIAN_PLACES,)),
        ("{} Tandoori", 1.5, (_SOUTH_ASIAN_PLACES,)),
        ("{}", 2.0, (_ITALIAN_NAMES,)),
        ("The {} Kitchen", 1.0, (_TOWNS,)),
        ("{}'s Brasserie", 0.7, (_FAMILIES,)),
        ("{} {}", 1.5, (_ORIENTAL_ADJECTIVES, _ORIENTAL_NOUNS)),
        ("{} Grill", 1.0, (_SOUTH_ASIAN_PLACES + _AMERICAN_PLACES,)),
    ),
    "late-night takeaway": (
        ("{} {}", 3.0, (_ORIENTAL_ADJECTIVES, _ORIENTAL_NOUNS)),
        ("{} {}", 3.0, (_FAST_FOODS, _FAST_FOOD_SHOPS)),
        ("{} Fried Chicken", 2.0, (_AMERICAN_PLACES,)),
        ("{} Kebab House", 1.0, (_TOWNS,)),
        ("{} Fish Bar", 1.0, (_TOWNS + _FAMILIES,)),
        ("{} Pizza", 1.0, (_BAR_WORDS + _AMERICAN_PLACES,)),
        ("Tasty {}", 0.5, (_FAST_FOODS,)),
    ),
    "off-licence": (
        ("{} {}", 4.0, (_SHOP_BRANDS, _OFF_LICENCE_KINDS)),
        ("{} {}", 1.5, (_TOWNS, _OFF_LICENCE_KINDS)),
        ("{}'s Off Licence", 0.5, (_FAMILIES,)),
    ),
}

# Unique-name patterns: (weight of each name, template, parts). Names that repeat a word
# ("Hill Hill") are never made; no other two combinations give the same name.
_Pattern = tuple[float, str, tuple[tuple[str, ...], ...]]

_STREET_PATTERNS: tuple[_Pattern, ...] = (
    (1.0, "{} {}", (_STREET_FIRST_WORDS, _STREET_SUFFIXES)),
    (0.006, "{} {} {}", (_STREET_FIRST_WORDS, _STREET_MIDDLE_WORDS, _STREET_SUFFIXES)),
    (0.004, "{} {} {}", (_STREET_PREFIXES, _STREET_FIRST_WORDS, _STREET_SUFFIXES)),
)

_WARD_PATTERNS: tuple[_Pattern, ...] = (
    (1.0, "{}{}", (_PLACE_ROOTS, _PLACE_ENDINGS)),
    (0.2, "{}{} {}", (_PLACE_ROOTS, _PLACE_ENDINGS, _WARD_COMPASS)),
    (1.0, "{} {}", (_PLACE_FIRST_WORDS, _PLACE_SECOND_WORDS)),
    (0.02, "{}{} & {}", (_PLACE_ROOTS, _PLACE_ENDINGS, _WARD_PARTNERS)),
    (1.0, "{}", (_SAINTS,)),
)

_AREA_PATTERNS: tuple[_Pattern, ...] = (
    (1.0, "{}{}", (_PLACE_ROOTS, _PLACE_ENDINGS)),
    (1.0, "{} {}", (_PLACE_FIRST_WORDS, _PLACE_SECOND_WORDS)),
    (0.05, "{}{} {}", (_PLACE_ROOTS, _PLACE_ENDINGS, _AREA_TAILS)),
    (0.05, "{} {}{}", (_AREA_PREFIXES, _PLACE_ROOTS, _PLACE_ENDINGS)),
    (1.0, "{}", (_SAINTS,)),
)


# --- Unique names -----------------------------------------------------------------------


def street_names(rng: np.random.Generator, n: int) -> list[str]:
    """n different street names ("Hagley Road", "Church Farm Lane", "Upper Foundry Street"),
    common suffixes and plain two-word names most often; up to about 250,000."""
    return _unique_names(rng, n, _STREET_PATTERNS, "street names")


def ward_names(rng: np.random.Generator, n: int) -> list[str]:
    """n different ward names ("Kingsbury North", "Ashfield", "Lodge Farm", "St Mary's",
    "Oakwood & Hillside"); up to about 31,000."""
    return _unique_names(rng, n, _WARD_PATTERNS, "ward names")


def area_names(rng: np.random.Generator, n: int) -> list[str]:
    """n different neighbourhood names for naming schools and youth centres ("Ashfield",
    "Hall Green", "Little Brockley", "Kingsbury Village"); up to about 31,000."""
    return _unique_names(rng, n, _AREA_PATTERNS, "area names")


def _unique_names(
    rng: np.random.Generator, n: int, patterns: tuple[_Pattern, ...], what: str
) -> list[str]:
    """n different names drawn from the patterns without replacement, each name's chance
    in proportion to its weight (Efraimidis-Spirakis keys), in random order."""
    weights, codes, starts, shapes = _name_pool(patterns)
    if not 0 <= n <= weights.size:
        raise ValueError(f"can make 0 to {weights.size} different {what}, not {n}")
    keys = rng.exponential(size=weights.size) / weights
    chosen = codes[rng.permutation(np.argsort(keys)[:n])]
    pattern_of = np.searchsorted(starts, chosen, side="right") - 1
    names = [""] * n
    for k, (_weight, template, parts) in enumerate(patterns):
        (positions,) = np.nonzero(pattern_of == k)
        indices = np.unravel_index(chosen[positions] - starts[k], shapes[k])
        for position, *word_indices in zip(positions, *indices, strict=True):
            words = (part[i] for part, i in zip(parts, word_indices, strict=True))
            names[position] = template.format(*words)
    return names


@functools.cache
def _name_pool(
    patterns: tuple[_Pattern, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[tuple[int, ...], ...]]:
    """Every name the patterns can make, as (weights, codes, starts, shapes): a code is
    the name's position in the patterns' combinations laid end to end, pattern k's
    combinations start at starts[k] and have shape shapes[k]. Names that would repeat a
    word are left out."""
    all_weights = []
    shapes = tuple(tuple(len(part) for part in parts) for _w, _t, parts in patterns)
    for (weight, _template, parts), shape in zip(patterns, shapes, strict=True):
        w = np.array(weight)
        for part in parts:
            w = np.multiply.outer(w, [_COMMONNESS.get(word, 1.0) for word in part])
        for i, j in itertools.combinations(range(len(parts)), 2):
            same = np.array([[a == b for b in parts[j]] for a in parts[i]])
            axes = [1] * len(parts)
            axes[i], axes[j] = shape[i], shape[j]
            w = np.where(same.reshape(axes), 0.0, w)
        all_weights.append(w.ravel())
    weights = np.concatenate(all_weights)
    codes = np.flatnonzero(weights)
    starts = np.cumsum([0] + [int(np.prod(shape)) for shape in shapes[:-1]])
    return weights[codes], codes, starts, shapes


# --- Venue and school names -------------------------------------------------------------


def venue_names(rng: np.random.Generator, premises_types: list[str]) -> list[str]:
    """A name for each licensed premises, fitting its type: "The Red Lion" (pub),
    "Bar Risa" (bar), "Club Neon" (nightclub), "Quickstop Wines" (off-licence), "Taste of
    Punjab" (restaurant), "Golden Dragon" (late-night takeaway). Names repeat, as in real
    licensing registers. Raises ValueError for a type not in that list."""
    names = []
    for premises_type in premises_types:
        if premises_type not in _VENUE_PATTERNS:
            raise ValueError(
                f"premises type {premises_type!r} is not one of {tuple(_VENUE_PATTERNS)}"
            )
        template, _weight, parts = _pick_weighted(rng, _VENUE_PATTERNS[premises_type])
        words = [_pick(rng, part) for part in parts]
        while len(set(words)) < len(words):  # "The Crown & Crown"
            words = [_pick(rng, part) for part in parts]
        names.append(template.format(*words))
    return names


def school_names(rng: np.random.Generator, area_names: list[str], phases: list[str]) -> list[str]:
    """For each i, a name for a school of phase phases[i] ("primary" or "secondary") in
    area area_names[i], containing the area name: "Ashfield Primary School", "St Mary's C
    of E Primary School", "Oakwood Academy". Raises ValueError for an unknown phase or
    lists of different lengths."""
    if len(area_names) != len(phases):
        raise ValueError(f"{len(area_names)} area names but {len(phases)} phases")
    names = []
    for area, phase in zip(area_names, phases, strict=True):
        if phase not in ("primary", "secondary"):
            raise ValueError(f"school phase {phase!r} is not 'primary' or 'secondary'")
        saint = area.startswith("St ")
        if phase == "primary":
            templates = _SAINT_PRIMARY_SCHOOLS if saint else _PRIMARY_SCHOOLS
        else:
            templates = _SAINT_SECONDARY_SCHOOLS if saint else _SECONDARY_SCHOOLS
        template, _weight = _pick_weighted(rng, templates)
        names.append(template.format(area))
    return names


# --- Free text as typed -----------------------------------------------------------------


def messy_location_description(
    rng: np.random.Generator,
    location_type: str,
    venue: str | None = None,
    street: str | None = None,
) -> str:
    """What an ED receptionist types as the assault location description, given the
    location type ("home", "street", "licensed", "school", "workplace", "transport",
    "other", "unknown") and, where known, the venue's name and the street.

    About 15% of entries are blank whatever the type. A venue is named in most
    "licensed" descriptions, and a street in most "street" ones, misspelt, abbreviated
    and in any case, but recognisable; they also turn up now and then in "licensed",
    "workplace" and "transport" ones. A home is never described by its address.
    Raises ValueError for an unknown location type.
    """
    return location_description(rng, location_type, venue, street)[0]


def location_description(
    rng: np.random.Generator,
    location_type: str,
    venue: str | None = None,
    street: str | None = None,
) -> tuple[str, bool]:
    """`messy_location_description`'s text (same draws, same text) and whether it names the
    venue: the ground truth that venue matching is measured against."""
    if location_type not in _PHRASES_BY_LOCATION_TYPE:
        raise ValueError(
            f"location type {location_type!r} is not one of {tuple(_PHRASES_BY_LOCATION_TYPE)}"
        )
    if rng.random() < _BLANK_SHARE:
        return "", False
    draw = rng.random()
    if location_type == "licensed" and venue and draw < 0.88:
        text = _as_typed_venue(rng, venue)
        if street and rng.random() < 0.1:
            text = f"{text} {_as_typed_street(rng, street)}"
        return text, True
    if location_type == "licensed" and street and 0.88 <= draw < 0.94:
        lead = _pick(rng, ("outside pub on", "pub on", "club on", "bar on"))
        return f"{lead} {_as_typed_street(rng, street)}", False
    if location_type == "street" and street and draw < 0.85:
        return _as_typed_street_form(rng, street), False
    if location_type == "workplace" and venue and draw < 0.15:
        lead = _pick(rng, ("at work -", "works at", "door staff at"))
        return f"{lead} {_as_typed_venue(rng, venue)}", True
    if location_type == "transport" and street and draw < 0.15:
        return f"{_as_typed_street(rng, street)} bus stop", False
    phrase = _pick(rng, _PHRASES_BY_LOCATION_TYPE[location_type])
    return _as_typed(rng, phrase, typo=0.05), False


def method_other_description(rng: np.random.Generator) -> str:
    """Free text for assault method "06 other" as typed: "dog bite", "hot drink thrown",
    "stamped on"; about one in ten blank, and now and then a description that belongs to
    another code ("brick", "pool cue", "punched"), as in real extracts."""
    draw = rng.random()
    if draw < 0.1:
        return ""
    phrases = _METHOD_MISCODED if draw < 0.22 else _METHOD_OTHER
    return _as_typed(rng, _pick(rng, phrases), typo=0.1)


def _as_typed_venue(rng: np.random.Generator, venue: str) -> str:
    """A venue's name as a clerk types it: "the" or "club" dropped, "&" spelt out, a slip
    of the finger, any case, with a preposition before and a kind of place after."""
    name = venue
    for generic in ("The ", "Club ", "Bar "):
        if name.startswith(generic) and rng.random() < 0.4:
            name = name.removeprefix(generic)
    if "&" in name and rng.random() < 0.5:
        name = name.replace("&", _pick(rng, ("and", "n", "+")))
    prefix, _weight = _pick_weighted(rng, _VENUE_PREFIXES)
    suffix, _weight = _pick_weighted(rng, _VENUE_SUFFIXES)
    return _as_typed(rng, f"{prefix}{name}{suffix}", typo=0.12)


def _as_typed_street(rng: np.random.Generator, street: str) -> str:
    """A street's name as a clerk types it: suffix often shortened ("Hagley Rd",
    "Broad St."), a slip of the finger now and then, any case."""
    words = street.split()
    if words[-1] in _STREET_ABBREVIATIONS and rng.random() < 0.6:
        words[-1] = _STREET_ABBREVIATIONS[words[-1]] + ("." if rng.random() < 0.2 else "")
    return _as_typed(rng, " ".join(words), typo=0.12)


def _as_typed_street_form(rng: np.random.Generator, street: str) -> str:
    """A street-type description built round a street: "nr Broad St", "outside 45 hagley
    rd", "bus stop hagley road"."""
    template, _weight = _pick_weighted(rng, _STREET_FORMS)
    house_number = int(rng.integers(1, 250))
    return template.format(_as_typed_street(rng, street), n=house_number)


def _as_typed(rng: np.random.Generator, text: str, typo: float) -> str:
    """Text with, at the given chance, one slip of the finger, then in the case a clerk
    might use: mostly lower, sometimes as written, in capitals or with only a capital
    first letter."""
    if rng.random() < typo:
        text = _typo(rng, text)
    draw = rng.random()
    if draw < 0.5:
        return text.lower()
    if draw < 0.78:
        return text
    if draw < 0.9:
        return text.upper()
    return text[:1].upper() + text[1:].lower()


def _typo(rng: np.random.Generator, text: str) -> str:
    """One slip in a letter of text: dropped, doubled, or swapped with the next letter.
    Words of fewer than four letters are left alone, so "dog" never becomes "dg"."""
    letters = [i for word in _LONG_WORD.finditer(text) for i in range(word.start(), word.end())]
    if not letters:
        return text
    i = letters[int(rng.integers(len(letters)))]
    slip = int(rng.integers(3))
    if slip == 0:
        return text[:i] + text[i + 1 :]
    if slip == 1 or i + 1 not in letters:
        return text[:i] + text[i] + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


# --- Choosing ---------------------------------------------------------------------------


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    """One of the options, each equally likely."""
    return options[int(rng.integers(len(options)))]


def _pick_weighted(rng: np.random.Generator, options: tuple[_Weighted, ...]) -> _Weighted:
    """One of the options, each a tuple whose second item is its weight."""
    weights = np.array([option[1] for option in options])
    return options[int(rng.choice(len(options), p=weights / weights.sum()))]
