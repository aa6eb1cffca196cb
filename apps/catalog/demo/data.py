"""What the demo shop sells: Fernhill Outfitters' categories, options, attributes and products.

Plain data, no database access: apps.catalog.demo builds it through the catalog services.
"""

from dataclasses import dataclass, field

from apps.catalog.models import Attribute

# Colour name -> the swatch the generated images are painted with.
COLOURS: dict[str, str] = {
    "Slate": "#5b6770",
    "Moss": "#5f7045",
    "Ember": "#c4552b",
    "Olive": "#6b6b3a",
    "Navy": "#243b55",
    "Charcoal": "#3a3d40",
    "Rust": "#a4482a",
    "Oat": "#d9cbb0",
    "Forest": "#2f4f3a",
    "Mustard": "#d1a12a",
    "Chalk": "#ecebe4",
    "Clay": "#b9785a",
    "Sand": "#d8c39a",
    "Sky": "#8fb3cc",
    "Heather": "#8a7f95",
    "Chestnut": "#7a4a2c",
}
SIZES = ["XS", "S", "M", "L", "XL", "Regular", "Long"]
SHOE_SIZES = ["EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "EU 45"]
APPAREL_SIZES = ["XS", "S", "M", "L", "XL"]
SHOE_RUN = ["EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44"]

# (slug, name, parent slug or None, description)
CATEGORIES: list[tuple[str, str, str | None, str]] = [
    ("clothing", "Clothing", None, "Layers for wet hills, windy beaches and the walk home."),
    ("jackets", "Jackets & shells", "clothing", "Waterproofs, insulation and everyday coats."),
    ("tops", "Tops & base layers", "clothing", "Merino, organic cotton and linen next to skin."),
    ("knitwear", "Knitwear", "clothing", "Jumpers and cardigans knitted to last decades."),
    ("footwear", "Footwear", None, "Boots, trail shoes and something soft for the tent."),
    ("camping", "Camping", None, "Light, repairable kit for nights under canvas."),
    ("sleeping", "Sleep & shelter", "camping", "Tents, sleeping bags and mats."),
    ("camp-kitchen", "Camp kitchen", "camping", "Cook, brew and eat well outdoors."),
    ("home", "Home", None, "The cabin feeling, brought indoors."),
    ("kitchen-table", "Kitchen & table", "home", "Stoneware, wood and linen for every day."),
    ("textiles", "Throws & textiles", "home", "Wool throws, towels and cushions."),
    ("accessories", "Accessories", None, "Hats, packs and bottles that go everywhere."),
]

# Attribute slug -> (name, kind, choices, unit)
ATTRIBUTES: dict[str, tuple[str, str, list[str], str]] = {
    "material": (
        "Material",
        Attribute.Kind.CHOICE,
        [
            "Merino wool",
            "Lambswool",
            "Organic cotton",
            "Linen",
            "Recycled polyester",
            "Waxed canvas",
            "Leather",
            "Ripstop nylon",
            "Stoneware",
            "Enamel steel",
            "Stainless steel",
            "Titanium",
            "Olive wood",
            "Cast iron",
            "Beeswax",
        ],
        "",
    ),
    "waterproof": ("Waterproof", Attribute.Kind.BOOLEAN, [], ""),
    "weight": ("Weight", Attribute.Kind.NUMBER, [], "g"),
    "care": ("Care", Attribute.Kind.TEXT, [], ""),
}

# Product type slug -> (name, option type slugs, attribute slugs)
PRODUCT_TYPES: dict[str, tuple[str, list[str], list[str]]] = {
    "clothing": ("Clothing", ["size", "colour"], ["material", "waterproof", "care"]),
    "footwear": ("Footwear", ["shoe-size", "colour"], ["material", "waterproof", "weight"]),
    "coloured-gear": ("Coloured gear", ["colour"], ["material", "waterproof", "weight"]),
    "sized-gear": ("Sized gear", ["size", "colour"], ["material", "weight"]),
    "homeware": ("Homeware", ["colour"], ["material", "care"]),
    "kit": ("Kit", [], ["material", "weight", "care"]),
}


@dataclass(frozen=True)
class DemoProduct:
    name: str
    category: str
    product_type: str
    price: str
    blurb: str
    features: tuple[str, ...]
    colours: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    compare_at: str | None = None
    tags: tuple[str, ...] = ()
    attributes: dict[str, object] = field(default_factory=dict)
    # Size -> price, where a size costs more (a long sleeping bag).
    size_prices: dict[str, str] = field(default_factory=dict)
    motif: str = "peaks"


P = DemoProduct
CLOTHING_CARE = "Machine wash cool, dry flat."
PRODUCTS: list[DemoProduct] = [
    # Jackets & shells
    P(
        "Ridgeline Waterproof Shell",
        "jackets",
        "clothing",
        "189.00",
        "A three-layer shell for days when the forecast lies: fully taped seams, a hood "
        "that turns with your head and pit zips for the climb.",
        (
            "20,000 mm waterproof, 15,000 g breathable",
            "Helmet-compatible hood",
            "Packs into its own chest pocket",
        ),
        colours=("Slate", "Moss", "Ember"),
        sizes=tuple(APPAREL_SIZES),
        compare_at="229.00",
        tags=("waterproof", "bestseller", "recycled"),
        attributes={"material": "Recycled polyester", "waterproof": True, "care": CLOTHING_CARE},
    ),
    P(
        "Harbour Waxed Jacket",
        "jackets",
        "clothing",
        "159.00",
        "Waxed cotton canvas that softens and creases with every winter, lined in brushed "
        "cotton and finished with brass press studs.",
        ("Re-waxable canvas", "Corduroy collar", "Two bellows pockets"),
        colours=("Olive", "Navy"),
        sizes=tuple(APPAREL_SIZES),
        tags=("heritage", "waxed canvas"),
        attributes={
            "material": "Waxed canvas",
            "waterproof": True,
            "care": "Sponge clean; re-wax each autumn.",
        },
    ),
    P(
        "Cairn Insulated Vest",
        "jackets",
        "clothing",
        "98.00",
        "Recycled synthetic insulation that stays warm when damp, in a vest that layers "
        "under a shell or over a fleece.",
        ("Warm when wet", "Zipped hand pockets", "Stuff sack included"),
        colours=("Charcoal", "Rust"),
        sizes=tuple(APPAREL_SIZES),
        tags=("recycled", "insulation"),
        attributes={"material": "Recycled polyester", "waterproof": False, "care": CLOTHING_CARE},
    ),
    P(
        "Fellside Fleece Jacket",
        "jackets",
        "clothing",
        "84.00",
        "A high-pile fleece with a full zip and a tall collar: the jacket that lives on the "
        "back of the kitchen chair.",
        ("Made from recycled bottles", "Nylon-faced chest pocket", "Elasticated cuffs"),
        colours=("Oat", "Forest"),
        sizes=tuple(APPAREL_SIZES),
        compare_at="99.00",
        tags=("recycled", "fleece", "sale"),
        attributes={"material": "Recycled polyester", "waterproof": False, "care": CLOTHING_CARE},
    ),
    P(
        "Drizzle Packable Anorak",
        "jackets",
        "clothing",
        "72.00",
        "A featherweight smock for showers and sea breezes that folds down smaller than "
        "a sandwich.",
        ("Half-zip with storm flap", "Kangaroo pocket", "Weighs 180 g"),
        colours=("Mustard", "Navy"),
        sizes=tuple(APPAREL_SIZES),
        tags=("packable", "waterproof"),
        attributes={"material": "Ripstop nylon", "waterproof": True, "care": CLOTHING_CARE},
    ),
    # Tops & base layers
    P(
        "Merino Crew Base Layer",
        "tops",
        "clothing",
        "68.00",
        "Fine 200 gsm merino that keeps you warm on the move and fresh for days between washes.",
        ("Flatlock seams", "Naturally odour-resistant", "Ethically sourced wool"),
        colours=("Charcoal", "Moss"),
        sizes=tuple(APPAREL_SIZES),
        tags=("merino", "bestseller"),
        attributes={
            "material": "Merino wool",
            "waterproof": False,
            "care": "Wash at 30 °C, dry flat.",
        },
    ),
    P(
        "Trailhead Organic Cotton Tee",
        "tops",
        "clothing",
        "32.00",
        "A heavyweight organic cotton T-shirt with a relaxed cut and a neck that keeps its "
        "shape wash after wash.",
        ("GOTS-certified cotton", "Garment-dyed", "Relaxed fit"),
        colours=("Chalk", "Slate", "Clay"),
        sizes=tuple(APPAREL_SIZES),
        compare_at="38.00",
        tags=("organic", "sale"),
        attributes={"material": "Organic cotton", "waterproof": False, "care": CLOTHING_CARE},
    ),
    P(
        "Coastline Linen Shirt",
        "tops",
        "clothing",
        "74.00",
        "Washed European linen in a loose camp-collar shirt, cool on a harbour wall in August.",
        ("Stonewashed for softness", "Coconut-shell buttons", "Boxy fit"),
        colours=("Sand", "Sky"),
        sizes=tuple(APPAREL_SIZES),
        tags=("linen", "summer"),
        attributes={"material": "Linen", "waterproof": False, "care": CLOTHING_CARE},
    ),
    P(
        "Bothy Flannel Overshirt",
        "tops",
        "clothing",
        "79.00",
        "A brushed cotton flannel overshirt heavy enough to wear as a jacket on mild "
        "evenings by the fire.",
        ("Double-brushed flannel", "Two flap pockets", "Horn-effect buttons"),
        colours=("Rust", "Forest"),
        sizes=tuple(APPAREL_SIZES),
        tags=("flannel", "new"),
        attributes={"material": "Organic cotton", "waterproof": False, "care": CLOTHING_CARE},
    ),
    # Knitwear
    P(
        "Fisherman Rib Jumper",
        "knitwear",
        "clothing",
        "119.00",
        "A chunky rib-knit jumper in undyed lambswool, knitted in a Scottish mill that has "
        "made them since 1890.",
        ("Made in Scotland", "Lambswool", "Fully fashioned"),
        colours=("Oat", "Navy"),
        sizes=tuple(APPAREL_SIZES),
        tags=("knitwear", "heritage", "gift idea"),
        attributes={"material": "Lambswool", "waterproof": False, "care": "Hand wash cold."},
    ),
    P(
        "Tarn Cable-Knit Cardigan",
        "knitwear",
        "clothing",
        "129.00",
        "A shawl-collar cardigan with a bold cable down each front and deep patch pockets "
        "for cold hands.",
        ("Shawl collar", "Leather-look buttons", "Patch pockets"),
        colours=("Moss", "Oat"),
        sizes=tuple(APPAREL_SIZES),
        tags=("knitwear", "new"),
        attributes={"material": "Lambswool", "waterproof": False, "care": "Hand wash cold."},
    ),
    P(
        "Shetland Roll Neck",
        "knitwear",
        "clothing",
        "112.00",
        "Soft, springy Shetland wool in a classic roll neck that sits neatly under a coat.",
        ("Pure Shetland wool", "Ribbed roll collar", "Regular fit"),
        colours=("Charcoal", "Heather"),
        sizes=tuple(APPAREL_SIZES),
        compare_at="140.00",
        tags=("knitwear", "sale"),
        attributes={"material": "Lambswool", "waterproof": False, "care": "Hand wash cold."},
    ),
    # Footwear
    P(
        "Scree Trail Runner",
        "footwear",
        "footwear",
        "129.00",
        "A grippy, cushioned trail shoe with a rock plate for stony descents and a roomy "
        "toe box for long days.",
        ("5 mm lugs", "Rock plate", "Recycled mesh upper"),
        colours=("Slate", "Ember"),
        sizes=tuple(SHOE_RUN),
        tags=("running", "recycled"),
        attributes={"material": "Recycled polyester", "waterproof": False, "weight": 290},
    ),
    P(
        "Moorland Leather Hiking Boot",
        "footwear",
        "footwear",
        "189.00",
        "Full-grain leather boots with a waterproof lining and a resoleable sole: buy once, "
        "walk for years.",
        ("Resoleable Vibram sole", "Waterproof membrane", "Padded scree collar"),
        colours=("Chestnut",),
        sizes=tuple(SHOE_RUN),
        compare_at="215.00",
        tags=("waterproof", "bestseller", "leather"),
        attributes={"material": "Leather", "waterproof": True, "weight": 640},
    ),
    P(
        "Camp Mule Slipper",
        "footwear",
        "footwear",
        "54.00",
        "Boiled-wool mules with a grippy sole for the tent, the van and the kitchen floor.",
        ("Boiled wool upper", "Natural rubber sole", "Wool-lined footbed"),
        colours=("Charcoal", "Oat"),
        sizes=tuple(SHOE_RUN),
        tags=("gift idea", "cosy"),
        attributes={"material": "Merino wool", "waterproof": False, "weight": 210},
    ),
    P(
        "Estuary Canvas Sneaker",
        "footwear",
        "footwear",
        "69.00",
        "Organic cotton canvas plimsolls on a vulcanised rubber sole, for dry days by the water.",
        ("Organic canvas", "Vulcanised sole", "Cork insole"),
        colours=("Chalk", "Navy"),
        sizes=tuple(SHOE_RUN),
        tags=("organic", "summer"),
        attributes={"material": "Organic cotton", "waterproof": False, "weight": 320},
    ),
    # Sleep & shelter
    P(
        "Bivvy Two-Person Tent",
        "sleeping",
        "coloured-gear",
        "299.00",
        "A freestanding two-person tent with two doors and two porches, pitched in five "
        "minutes and stable in a blow.",
        ("Pitches fly-first", "Two doors, two porches", "Weighs 1.9 kg"),
        colours=("Moss",),
        compare_at="349.00",
        tags=("camping", "waterproof", "bestseller"),
        attributes={"material": "Ripstop nylon", "waterproof": True, "weight": 1900},
        motif="tent",
    ),
    P(
        "Ember Three-Season Sleeping Bag",
        "sleeping",
        "sized-gear",
        "179.00",
        "A recycled-down sleeping bag with a comfort rating of 2 °C, a draught collar and a "
        "zip that does not snag.",
        ("Comfort 2 °C, limit -4 °C", "Recycled 700-fill down", "Compression sack included"),
        colours=("Rust", "Slate"),
        sizes=("Regular", "Long"),
        size_prices={"Long": "195.00"},
        tags=("camping", "recycled"),
        attributes={"material": "Ripstop nylon", "weight": 980},
        motif="tent",
    ),
    P(
        "Drift Self-Inflating Mat",
        "sleeping",
        "sized-gear",
        "89.00",
        "Open the valve and it fills itself: a 5 cm foam-cored mat that rolls up small and "
        "sleeps warm on cold ground.",
        ("R-value 4.2", "5 cm thick", "Repair kit included"),
        colours=("Moss",),
        sizes=("Regular", "Long"),
        size_prices={"Long": "99.00"},
        tags=("camping",),
        attributes={"material": "Ripstop nylon", "weight": 820},
        motif="tent",
    ),
    P(
        "Lantern Rechargeable Camp Light",
        "sleeping",
        "kit",
        "39.00",
        "A warm-white lantern that runs for 40 hours on low, charges by USB-C and doubles "
        "as a power bank.",
        ("300 lumens", "USB-C charging", "Hangs from a tent loop"),
        tags=("camping", "gift idea"),
        attributes={"material": "Stainless steel", "weight": 240, "care": "Wipe clean."},
        motif="sun",
    ),
    # Camp kitchen
    P(
        "Enamel Camp Mug",
        "camp-kitchen",
        "homeware",
        "18.00",
        "The classic enamel mug with a rolled steel rim: tea at dawn, soup at dusk.",
        ("350 ml", "Safe on a camp stove", "Stackable"),
        colours=("Chalk", "Moss", "Ember"),
        tags=("camping", "gift idea"),
        attributes={"material": "Enamel steel", "care": "Hand wash."},
        motif="rings",
    ),
    P(
        "Titanium Spork",
        "camp-kitchen",
        "kit",
        "14.00",
        "One utensil, one gram short of nothing: a titanium spork with a long handle for "
        "dehydrated-meal pouches.",
        ("Weighs 17 g", "Long handle", "Polished bowl"),
        tags=("camping", "ultralight"),
        attributes={"material": "Titanium", "weight": 17, "care": "Dishwasher safe."},
        motif="rings",
    ),
    P(
        "Campfire Cast-Iron Skillet",
        "camp-kitchen",
        "kit",
        "45.00",
        "A pre-seasoned 25 cm skillet with a helper handle, at home on a campfire grate or "
        "an induction hob.",
        ("Pre-seasoned", "25 cm", "Works on any heat"),
        tags=("camping", "cooking"),
        attributes={"material": "Cast iron", "weight": 2300, "care": "Dry and oil after use."},
        motif="rings",
    ),
    P(
        "Pour-Over Coffee Kit",
        "camp-kitchen",
        "kit",
        "38.00",
        "A stainless pour-over dripper, a hand grinder and a cloth filter in a roll-up case: "
        "proper coffee at the trailhead.",
        ("No paper filters", "Ceramic burr grinder", "Waxed canvas roll"),
        compare_at="46.00",
        tags=("coffee", "gift idea", "sale"),
        attributes={"material": "Stainless steel", "weight": 410, "care": "Rinse after use."},
        motif="rings",
    ),
    # Kitchen & table
    P(
        "Stoneware Breakfast Bowl",
        "kitchen-table",
        "homeware",
        "21.00",
        "A wide, deep bowl thrown and glazed in a small Staffordshire pottery, sized for "
        "porridge or a big salad.",
        ("16 cm across", "Reactive glaze: each one differs", "Dishwasher safe"),
        colours=("Clay", "Chalk"),
        tags=("stoneware", "handmade"),
        attributes={"material": "Stoneware", "care": "Dishwasher and microwave safe."},
        motif="rings",
    ),
    P(
        "Speckled Stoneware Mug",
        "kitchen-table",
        "homeware",
        "22.00",
        "A generous speckled mug with a thumb-friendly handle and a glaze that pools darker "
        "at the rim.",
        ("400 ml", "Handmade in England", "Dishwasher safe"),
        colours=("Clay", "Slate", "Moss"),
        tags=("stoneware", "handmade", "bestseller"),
        attributes={"material": "Stoneware", "care": "Dishwasher and microwave safe."},
        motif="rings",
    ),
    P(
        "Olive Wood Serving Board",
        "kitchen-table",
        "kit",
        "48.00",
        "Cut from the pruned branches of old olive trees, every board has its own grain; "
        "oiled and ready for cheese and bread.",
        ("About 40 x 20 cm", "From pruned branches", "Hanging hole"),
        tags=("handmade", "gift idea"),
        attributes={"material": "Olive wood", "weight": 900, "care": "Hand wash, oil monthly."},
        motif="stripes",
    ),
    P(
        "Linen Tea Towel Pair",
        "kitchen-table",
        "homeware",
        "24.00",
        "Two stonewashed linen tea towels that dry glasses lint-free and get better with "
        "every wash.",
        ("Set of two", "50 x 70 cm", "Hanging loop"),
        colours=("Sand", "Sky"),
        tags=("linen",),
        attributes={"material": "Linen", "care": "Machine wash at 40 °C."},
        motif="stripes",
    ),
    # Throws & textiles
    P(
        "Herdwick Wool Throw",
        "textiles",
        "homeware",
        "139.00",
        "Woven from the coarse, hard-wearing wool of Lake District Herdwick sheep in a "
        "herringbone that hides muddy paws.",
        ("130 x 180 cm", "Lake District wool", "Fringed ends"),
        colours=("Heather", "Oat"),
        compare_at="165.00",
        tags=("cosy", "heritage", "gift idea"),
        attributes={"material": "Lambswool", "care": "Dry clean or air outdoors."},
        motif="stripes",
    ),
    P(
        "Waffle Cotton Bath Towel",
        "textiles",
        "homeware",
        "36.00",
        "A light, quick-drying waffle towel in organic cotton that packs flat for trips and "
        "dries by morning.",
        ("70 x 140 cm", "Quick drying", "Organic cotton"),
        colours=("Chalk", "Moss"),
        tags=("organic",),
        attributes={"material": "Organic cotton", "care": "Machine wash at 60 °C."},
        motif="stripes",
    ),
    P(
        "Beeswax Pillar Candle",
        "textiles",
        "kit",
        "19.00",
        "Poured from pure British beeswax with a cotton wick: a honey scent and a steady "
        "flame for about 40 hours.",
        ("Burns about 40 hours", "Pure beeswax", "Cotton wick"),
        tags=("gift idea", "cosy"),
        attributes={"material": "Beeswax", "weight": 350, "care": "Trim the wick to 5 mm."},
        motif="sun",
    ),
    P(
        "Felted Wool Cushion",
        "textiles",
        "homeware",
        "58.00",
        "A felted wool cushion cover with a feather pad, in deep colours that warm a grey sofa.",
        ("45 x 45 cm", "Feather pad included", "Concealed zip"),
        colours=("Rust", "Navy"),
        tags=("cosy", "new"),
        attributes={"material": "Lambswool", "care": "Spot clean."},
        motif="stripes",
    ),
    # Accessories
    P(
        "Heather Lambswool Beanie",
        "accessories",
        "coloured-gear",
        "29.00",
        "A ribbed lambswool beanie with a deep turn-up that covers the ears on a windy summit.",
        ("One size", "Deep turn-up", "Knitted in Scotland"),
        colours=("Heather", "Mustard", "Navy"),
        tags=("knitwear", "gift idea"),
        attributes={"material": "Lambswool", "waterproof": False, "weight": 80},
    ),
    P(
        "Waxed Canvas Daypack 20 L",
        "accessories",
        "coloured-gear",
        "110.00",
        "A roll-top daypack in waxed canvas with leather straps and a padded laptop sleeve, "
        "from the office to the fells.",
        ("20 litres", "Padded 15-inch sleeve", "Roll-top closure"),
        colours=("Olive", "Navy"),
        tags=("waxed canvas", "bestseller"),
        attributes={"material": "Waxed canvas", "waterproof": True, "weight": 1100},
        motif="stripes",
    ),
    P(
        "Insulated Steel Bottle 750 ml",
        "accessories",
        "coloured-gear",
        "32.00",
        "Double-walled steel that keeps tea hot for 12 hours and water cold for 24, with a "
        "leak-proof loop cap.",
        ("750 ml", "Hot 12 h, cold 24 h", "Powder-coated"),
        colours=("Moss", "Slate", "Ember"),
        compare_at="36.00",
        tags=("gift idea", "sale"),
        attributes={"material": "Stainless steel", "waterproof": True, "weight": 390},
        motif="rings",
    ),
]

# Collection slug -> (name, description, featured, product names in order)
COLLECTIONS: dict[str, tuple[str, str, bool, list[str]]] = {
    "autumn-trail-edit": (
        "The Autumn Trail Edit",
        "Everything for short days on the hill: waterproofs, wool and a hot drink at the top.",
        True,
        [
            "Ridgeline Waterproof Shell",
            "Merino Crew Base Layer",
            "Moorland Leather Hiking Boot",
            "Fisherman Rib Jumper",
            "Insulated Steel Bottle 750 ml",
            "Heather Lambswool Beanie",
            "Cairn Insulated Vest",
            "Scree Trail Runner",
        ],
    ),
    "cabin-comforts": (
        "Cabin Comforts",
        "Wool, stoneware and candlelight for evenings in.",
        False,
        [
            "Herdwick Wool Throw",
            "Speckled Stoneware Mug",
            "Beeswax Pillar Candle",
            "Felted Wool Cushion",
            "Camp Mule Slipper",
            "Olive Wood Serving Board",
        ],
    ),
}

# Names for the generated editions that top the catalog up to `products=N`.
EDITIONS = [
    "Coastal",
    "Alpine",
    "Heritage",
    "Highland",
    "Harbour",
    "Moorland",
    "Northern",
    "Valley",
    "Island",
    "Summit",
    "Forest",
    "Meadow",
]
