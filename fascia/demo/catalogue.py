"""The demo practice's fixed facts: where it works, who works there and what it offers."""

from decimal import Decimal

from fascia.accounts.models import Role
from fascia.practices.modalities import Modality

DEMO_PASSWORD = "fascia-demo"  # noqa: S105 - documented demo login, refused in production
PRACTICE_SLUG = "demo"

# Municipality: (centroid latitude, longitude, forward sortation areas covered).
SERVICE_AREAS: dict[str, tuple[str, str, list[str]]] = {
    "Brampton": (
        "43.731500",
        "-79.762400",
        ["L6P", "L6R", "L6S", "L6T", "L6V", "L6W", "L6X", "L6Y", "L6Z", "L7A"],
    ),
    "Mississauga": (
        "43.589000",
        "-79.644100",
        [
            "L4T",
            "L4V",
            "L4W",
            "L4X",
            "L4Y",
            "L4Z",
            "L5A",
            "L5B",
            "L5C",
            "L5E",
            "L5G",
            "L5H",
            "L5J",
            "L5K",
            "L5L",
            "L5M",
            "L5N",
            "L5R",
            "L5V",
            "L5W",
        ],
    ),
    "Oakville": ("43.467500", "-79.687700", ["L6H", "L6J", "L6K", "L6L", "L6M"]),
    "Toronto": (
        "43.653200",
        "-79.383200",
        [
            "M4C",
            "M4E",
            "M4J",
            "M4K",
            "M4L",
            "M4M",
            "M4P",
            "M4S",
            "M4T",
            "M4V",
            "M4W",
            "M4X",
            "M4Y",
            "M5A",
            "M5B",
            "M5C",
            "M5E",
            "M5G",
            "M5H",
            "M5J",
            "M5R",
            "M5S",
            "M5T",
            "M5V",
            "M6G",
            "M6H",
            "M6J",
            "M6K",
            "M6P",
            "M6R",
        ],
    ),
    "Etobicoke": (
        "43.620500",
        "-79.513200",
        ["M8V", "M8W", "M8X", "M8Y", "M8Z", "M9A", "M9B", "M9C", "M9P", "M9R", "M9V", "M9W"],
    ),
    "Milton": ("43.518300", "-79.877400", ["L9E", "L9T"]),
    "Halton Hills": ("43.647000", "-79.913000", ["L7G", "L7J"]),
    "Caledon": ("43.866800", "-79.858500", ["L7C", "L7E", "L7K"]),
    "Orangeville": ("43.920000", "-80.094300", ["L9W"]),
    "Guelph": ("43.544800", "-80.248200", ["N1C", "N1E", "N1G", "N1H", "N1K", "N1L"]),
}

# Where the clinic is (24 Queen Street West, Brampton); the mobile service sets out from it.
CLINIC_POSITION = (43.6850, -79.7599)
# In-home travel fee: call-out fee, free radius (road km), rate per km beyond it.
TRAVEL_FEE = (Decimal("15.00"), Decimal("15"), Decimal("0.80"))
# Areas visited only on some weekdays (0 = Monday): Guelph on Tuesdays, Orangeville Thursdays.
AREA_WEEKDAYS = {"Guelph": [1], "Orangeville": [3]}
RUSH_HOUR = ("15:30", "18:00")  # no in-home starts on weekdays

STAFF = [
    # email, full name, role
    ("owner@demo.test", "Priya Raman", Role.OWNER),
    ("therapist@demo.test", "Maya Chen", Role.THERAPIST),
    ("daniel@demo.test", "Daniel Okafor", Role.THERAPIST),
    ("sophie@demo.test", "Sophie Tremblay", Role.THERAPIST),
    ("frontdesk@demo.test", "Jordan Lee", Role.FRONT_DESK),
    ("bookkeeper@demo.test", "Sam Whitfield", Role.BOOKKEEPER),
]

THERAPISTS = {
    "therapist@demo.test": {
        "registration_number": "U4821",
        "home_postal_code": "L6P 2R4",  # in-home days start and end in north Brampton
        "modalities": [
            Modality.SWEDISH,
            Modality.DEEP_TISSUE,
            Modality.MYOFASCIAL_RELEASE,
            Modality.TRIGGER_POINT,
            Modality.CUPPING,
            Modality.COMPLIMENTARY_CONSULTATION,
        ],
        "languages": ["English", "Mandarin"],
        "gender": "woman",
        "pronouns": "she/her",
        "bio": "Maya treats desk-worker neck and shoulder pain, headaches and low-back pain, "
        "combining myofascial release with practical home-care stretches.",
        "bio_fr": "Maya traite les douleurs au cou et aux épaules du travail de bureau, les maux "
        "de tête et les douleurs lombaires, en alliant le relâchement myofascial à des "
        "étirements simples à faire à la maison.",
    },
    "daniel@demo.test": {
        "registration_number": "D7315",
        "home_postal_code": "L5B 4M7",  # Mississauga
        "modalities": [
            Modality.SPORTS,
            Modality.DEEP_TISSUE,
            Modality.JOINT_MOBILIZATION,
            Modality.REHABILITATION,
            Modality.HYDROTHERAPY,
            Modality.SWEDISH,
        ],
        "languages": ["English"],
        "gender": "man",
        "pronouns": "he/him",
        "bio": "Daniel works with runners, hockey players and people recovering from sprains, "
        "strains and post-surgical stiffness, at the clinic and in clients' homes.",
        "bio_fr": "Daniel travaille avec des coureurs, des joueurs de hockey et des personnes qui "
        "se remettent d'une entorse, d'une foulure ou d'une raideur après une chirurgie, à la "
        "clinique et à domicile.",
    },
    "sophie@demo.test": {
        "registration_number": "T2290",
        "home_postal_code": "L6Y 3K2",
        "modalities": [
            Modality.PRENATAL,
            Modality.GERIATRIC,
            Modality.LYMPHATIC_DRAINAGE,
            Modality.SWEDISH,
            Modality.COMPLIMENTARY_CONSULTATION,
        ],
        "languages": ["English", "French"],
        "gender": "woman",
        "bio": "Sophie offers prenatal and postpartum massage, gentle treatment for older "
        "adults at home, and manual lymphatic drainage. Traitements offerts en français.",
        "bio_fr": "Sophie offre le massage prénatal et postnatal, des traitements doux à "
        "domicile pour les personnes âgées et le drainage lymphatique manuel. Elle traite en "
        "français et en anglais.",
    },
}

# name, modality, {minutes: price}, in clinic, in home, buffer before, buffer after, taxable
SERVICES: list[tuple[str, str, dict[int, str], bool, bool, int, int, bool]] = [
    (
        "Complimentary consultation",
        Modality.COMPLIMENTARY_CONSULTATION,
        {15: "0.00"},
        True,
        False,
        0,
        5,
        False,
    ),
    (
        "Swedish relaxation massage",
        Modality.SWEDISH,
        {30: "75.00", 45: "100.00", 60: "125.00", 75: "150.00", 90: "175.00"},
        True,
        True,
        0,
        10,
        True,
    ),
    (
        "Deep tissue massage",
        Modality.DEEP_TISSUE,
        {60: "135.00", 90: "190.00"},
        True,
        True,
        0,
        10,
        True,
    ),
    (
        "Myofascial release",
        Modality.MYOFASCIAL_RELEASE,
        {45: "110.00", 60: "135.00"},
        True,
        False,
        0,
        10,
        True,
    ),
    (
        "Trigger point therapy",
        Modality.TRIGGER_POINT,
        {30: "80.00", 45: "105.00", 60: "130.00"},
        True,
        False,
        0,
        10,
        True,
    ),
    (
        "Joint mobilization",
        Modality.JOINT_MOBILIZATION,
        {45: "110.00", 60: "135.00"},
        True,
        False,
        0,
        10,
        True,
    ),
    ("Cupping therapy", Modality.CUPPING, {30: "80.00", 60: "130.00"}, True, False, 0, 15, True),
    ("Hydrotherapy treatment", Modality.HYDROTHERAPY, {60: "130.00"}, True, False, 10, 15, True),
    ("Sports massage", Modality.SPORTS, {60: "135.00", 90: "190.00"}, True, True, 0, 10, True),
    ("Prenatal massage", Modality.PRENATAL, {60: "130.00", 90: "180.00"}, True, True, 0, 10, True),
    (
        "Geriatric massage",
        Modality.GERIATRIC,
        {45: "105.00", 60: "130.00"},
        False,
        True,
        0,
        0,
        True,
    ),
    (
        "Rehabilitation massage",
        Modality.REHABILITATION,
        {45: "110.00", 60: "135.00"},
        True,
        True,
        0,
        10,
        True,
    ),
    (
        "Manual lymphatic drainage",
        Modality.LYMPHATIC_DRAINAGE,
        {60: "135.00", 90: "185.00"},
        True,
        True,
        0,
        10,
        True,
    ),
]

# The services' names in French, by English name.
SERVICE_NAMES_FR = {
    "Complimentary consultation": "Consultation gratuite",
    "Swedish relaxation massage": "Massage suédois de détente",
    "Deep tissue massage": "Massage des tissus profonds",
    "Myofascial release": "Relâchement myofascial",
    "Trigger point therapy": "Thérapie des points gâchettes",
    "Joint mobilization": "Mobilisation articulaire",
    "Cupping therapy": "Thérapie par ventouses",
    "Hydrotherapy treatment": "Traitement d'hydrothérapie",
    "Sports massage": "Massage sportif",
    "Prenatal massage": "Massage prénatal",
    "Geriatric massage": "Massage gériatrique",
    "Rehabilitation massage": "Massage de réadaptation",
    "Manual lymphatic drainage": "Drainage lymphatique manuel",
}

IN_HOME_SET_UP_MINUTES = 15  # carrying in and setting up the table
IN_HOME_PACK_UP_MINUTES = 15

CLIENT_COUNT = 200
ZERO = Decimal("0.00")

# Weekly working time: email -> [(weekday, start, end, "clinic" | "mobile")]; Monday is 0.
SHIFTS: dict[str, list[tuple[int, str, str, str]]] = {
    "therapist@demo.test": [
        (0, "09:00", "17:00", "clinic"),
        (2, "09:00", "17:00", "clinic"),
        (4, "09:00", "15:00", "clinic"),
        (1, "10:00", "18:00", "mobile"),
        (3, "10:00", "18:00", "mobile"),
    ],
    "daniel@demo.test": [
        (0, "12:00", "20:00", "clinic"),
        (1, "12:00", "20:00", "clinic"),
        (2, "12:00", "20:00", "clinic"),
        (3, "12:00", "20:00", "clinic"),
        (5, "09:00", "14:00", "clinic"),
    ],
    "sophie@demo.test": [
        (1, "09:00", "15:00", "clinic"),
        (3, "09:00", "15:00", "clinic"),
        (0, "09:00", "16:00", "mobile"),
        (2, "09:00", "16:00", "mobile"),
        # A mixed day: clinic in the morning, home visits in the afternoon.
        (4, "09:00", "12:00", "clinic"),
        (4, "13:00", "17:00", "mobile"),
    ],
}
# The clinic's opening hours: weekday, opens, closes (every therapist's clinic shifts fit).
CLINIC_HOURS = [
    (0, "09:00", "20:00"),
    (1, "09:00", "20:00"),
    (2, "09:00", "20:00"),
    (3, "09:00", "20:00"),
    (4, "09:00", "17:00"),
    (5, "09:00", "14:00"),
]
LUNCH_BREAKS = {"therapist@demo.test": [(0, "12:30", "13:00"), (2, "12:30", "13:00")]}
HISTORY_DAYS_PAST = 92
HISTORY_DAYS_AHEAD = 92

# The demo practice's website, in its own words (set-up → Your website).
WEBSITE = {
    "headline_en": "Registered massage therapy in Brampton, and in your home across the GTA",
    "headline_fr": "Massothérapie autorisée à Brampton, et chez vous partout dans la RGT",
    "introduction_en": (
        "We are three registered massage therapists on Queen Street West in Brampton. Most of "
        "our clients come to us with a problem to solve: a stiff neck from long days at a "
        "screen, a running injury, a sore back in pregnancy, or a shoulder that will not lift.\n\n"
        "Every first visit starts with your health history and an assessment, and you agree to "
        "a plan before we begin. You leave with stretches or exercises for home, and a receipt "
        "your insurer accepts.\n\n"
        "Can't get to us? Daniel, Maya and Sophie also treat clients at home, from Guelph to "
        "Toronto, on set days for each town."
    ),
    "introduction_fr": (
        "Nous sommes trois massothérapeutes autorisés, rue Queen Ouest à Brampton. La plupart "
        "de nos clients viennent nous voir avec un problème à régler : un cou raide après de "
        "longues journées à l'écran, une blessure de course, un mal de dos pendant la "
        "grossesse ou une épaule qui ne se lève plus.\n\n"
        "Chaque première visite commence par vos antécédents médicaux et une évaluation, et "
        "vous acceptez un plan avant que nous commencions. Vous repartez avec des étirements "
        "ou des exercices à faire à la maison, et un reçu que votre assureur accepte.\n\n"
        "Vous ne pouvez pas vous déplacer? Daniel, Maya et Sophie traitent aussi à domicile, "
        "de Guelph à Toronto, certains jours fixes pour chaque ville."
    ),
    "insurance_information_en": (
        "Keep your plan's member number handy when you book: we can tell you what your plan "
        "covered last year from your receipts. We also see clients under motor-vehicle "
        "accident and WSIB claims."
    ),
    "insurance_information_fr": (
        "Ayez le numéro de membre de votre régime sous la main quand vous réservez : vos reçus "
        "nous permettent de vous dire ce que votre régime a couvert l'an dernier. Nous "
        "recevons aussi des clients dans le cadre de réclamations d'accident de la route et de "
        "la CSPAAT."
    ),
    "direct_billing": True,
    "direct_billing_insurers": "Sun Life, Manulife, Green Shield Canada, Canada Life",
    "in_directory": True,
}
# Notes the demo practice adds to pages of the conditions guide, and the pages it hides.
CONDITION_NOTES = {
    "pregnancy": "Sophie offers prenatal massage with a side-lying cushion set, in French or "
    "English, at the clinic and at home.",
    "sports-and-overuse-injuries": "Daniel works with runners and hockey players, and can "
    "see you at home the day after a race.",
    "desk-posture-pain": "Maya shows you a five-minute desk routine at your first visit.",
}
CONDITION_NOTES_FR = {
    "pregnancy": "Sophie offre le massage prénatal avec des coussins pour la position sur le "
    "côté, en français ou en anglais, à la clinique et à domicile.",
    "sports-and-overuse-injuries": "Daniel travaille avec des coureurs et des joueurs de "
    "hockey, et peut vous voir chez vous le lendemain d'une course.",
    "desk-posture-pain": "Maya vous montre une routine de cinq minutes à faire au bureau dès "
    "votre première visite.",
}
CONDITIONS_HIDDEN: tuple[str, ...] = ()
