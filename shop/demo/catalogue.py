"""Demo catalogue data for the store.

Pure data: five categories, the dietary/allergen flags buyers filter on, and
32 products with their size variants. Prices are integers in pence (GBP);
``trade`` is the price for registered practices (None = not sold at trade); a few professional
sizes have trade volume prices, ``breaks`` as (from quantity, pence each), and one is sold only
in cases (``case``, else 1).
"""

from __future__ import annotations

CATEGORIES = [
    dict(
        slug="creams",
        name="Massage creams",
        description=(
            "Rich emulsions that give a controlled glide with enough grip for "
            "focused soft-tissue work, then soak in without leaving skin oily."
        ),
    ),
    dict(
        slug="oils",
        name="Massage oils",
        description=(
            "Plant oils and blends with a long, smooth slip for flowing strokes "
            "such as effleurage, from single bottles up to 5 litre refills."
        ),
    ),
    dict(
        slug="balms",
        name="Balms",
        description=(
            "Firm, concentrated wax-and-butter balms that warm to the hand, for "
            "slow, targeted work on small areas and for easy self-care at home."
        ),
    ),
    dict(
        slug="lotions",
        name="Lotions",
        description=(
            "Light, fast-absorbing lotions for quick treatments, large areas and "
            "daily skin care once a session is finished."
        ),
    ),
    dict(
        slug="gels",
        name="Gels",
        description=(
            "Water-based gels, from cooling and warming rubs to the coupling gel "
            "used with therapeutic ultrasound equipment."
        ),
    ),
]

FLAGS = [
    dict(
        slug="nut-free",
        name="Nut-free",
        kind="suitable",
        description=(
            "Made without tree-nut oils or butters (almond, macadamia, shea) and "
            "without coconut derivatives."
        ),
    ),
    dict(
        slug="fragrance-free",
        name="Fragrance-free",
        kind="suitable",
        description=(
            "No added perfume and no essential oils, so there is nothing in it "
            "that is there only for scent."
        ),
    ),
    dict(
        slug="vegan",
        name="Vegan",
        kind="suitable",
        description=(
            "Free from beeswax, lanolin, honey and every other ingredient of "
            "animal origin."
        ),
    ),
    dict(
        slug="tree-nuts",
        name="Tree nuts",
        kind="allergen",
        description=(
            "Contains a tree-nut oil or butter, e.g. sweet almond, macadamia, shea."
        ),
    ),
    dict(
        slug="coconut",
        name="Coconut",
        kind="allergen",
        description=(
            "Contains coconut oil or a coconut-derived ingredient such as "
            "fractionated coconut oil (caprylic/capric triglyceride)."
        ),
    ),
    dict(
        slug="soya",
        name="Soya",
        kind="allergen",
        description="Contains soybean oil or soya lecithin.",
    ),
    dict(
        slug="lanolin",
        name="Lanolin (wool fat)",
        kind="allergen",
        description=(
            "Contains lanolin, the wax from sheep's wool, a known cause of "
            "contact allergy for some people."
        ),
    ),
    dict(
        slug="compositae",
        name="Daisy family (arnica, calendula, chamomile)",
        kind="allergen",
        description=(
            "Contains an extract of a daisy-family plant, which can irritate "
            "people sensitive to ragweed, chrysanthemum or related plants."
        ),
    ),
    dict(
        slug="fragrance-allergens",
        name="Fragrance allergens (linalool, limonene ...)",
        kind="allergen",
        description=(
            "Contains essential oils or perfume, and with them naturally "
            "occurring fragrance allergens such as linalool and limonene."
        ),
    ),
]

PRODUCTS = [
    # ------------------------------------------------------------------ oils
    dict(
        slug="sweet-almond-massage-oil",
        name="Sweet Almond Massage Oil",
        category="oils",
        summary="Classic cold-pressed sweet almond oil with a smooth, unhurried glide for full-body massage.",
        description=(
            "Sweet almond oil is the traditional all-rounder of the treatment "
            "room. It spreads easily, keeps its slip through a long session and "
            "leaves skin soft rather than greasy. We add only a little vitamin E "
            "to keep it fresh.\n\n"
            "Therapists use it for relaxing Swedish-style work and for long "
            "circulation-boosting strokes, and the 1 L and 5 L refills keep the "
            "cost per treatment low. The 100 ml bottle suits partners giving a "
            "simple back or shoulder massage at home."
        ),
        how_to_use=(
            "Warm a small amount between your palms before it touches the skin. "
            "Start with about a teaspoon for a back and add more only when the "
            "glide starts to drag. Decant refills into a clean pump bottle rather "
            "than topping up an old one."
        ),
        ingredients="Prunus Amygdalus Dulcis (Sweet Almond) Oil, Tocopherol",
        cautions=(
            "Contains almond oil: do not use on anyone with a nut allergy. Patch "
            "test on the inner forearm before first use and avoid broken skin."
        ),
        allergens=["tree-nuts"],
        suitable=["fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=True,
        container="bottle",
        colours=("#C9A66B", "#F3E3B5"),
        variants=[
            dict(sku="OIL-ALM-0100", size="100 ml", amount=100, unit="ml", price=799, trade=599, stock=84, professional=False),
            dict(sku="OIL-ALM-0250", size="250 ml", amount=250, unit="ml", price=1499, trade=1129, stock=62, professional=False),
            dict(sku="OIL-ALM-1000", size="1 L", amount=1000, unit="ml", price=3499, trade=2599, stock=41, professional=True,
                 breaks=[(6, 2469), (12, 2339)]),
            dict(sku="OIL-ALM-5000", size="5 L", amount=5000, unit="ml", price=12999, trade=9599, stock=18, professional=True),
        ],
    ),
    dict(
        slug="grapeseed-massage-oil",
        name="Grapeseed Massage Oil",
        category="oils",
        summary="Light, almost weightless grapeseed oil that absorbs quickly; nut-free and unscented.",
        description=(
            "Grapeseed oil is thinner than almond oil, so it soaks in faster and "
            "leaves very little residue on skin, towels or couch covers. It has "
            "no scent of its own and contains no nut or coconut ingredients.\n\n"
            "That makes it a sensible default for a busy clinic where you may "
            "not know every client's allergies in advance, and a good base for "
            "therapists who blend their own oils. Bulk sizes are available for "
            "practices."
        ),
        how_to_use=(
            "Pour a little into the palm, warm it and apply with long, even "
            "strokes. Because it absorbs quickly you may need to top up on large "
            "areas such as the back and thighs."
        ),
        ingredients="Vitis Vinifera (Grape) Seed Oil, Tocopherol",
        cautions=(
            "Patch test before first use if the skin is sensitive. Not for use "
            "on broken or inflamed skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#8FA876", "#E4EDC8"),
        variants=[
            dict(sku="OIL-GRP-0100", size="100 ml", amount=100, unit="ml", price=699, trade=519, stock=77, professional=False),
            dict(sku="OIL-GRP-0250", size="250 ml", amount=250, unit="ml", price=1299, trade=969, stock=58, professional=False),
            dict(sku="OIL-GRP-1000", size="1 L", amount=1000, unit="ml", price=2999, trade=2249, stock=46, professional=True),
            dict(sku="OIL-GRP-5000", size="5 L", amount=5000, unit="ml", price=10999, trade=8199, stock=22, professional=True,
                 breaks=[(3, 7789), (6, 7379)]),
        ],
    ),
    dict(
        slug="fractionated-coconut-oil",
        name="Fractionated Coconut Oil",
        category="oils",
        summary="Clear, odourless coconut fraction that stays liquid, never goes rancid and washes out of linen easily.",
        description=(
            "Fractionated coconut oil is the light, liquid part of coconut oil. "
            "It is clear, has no smell, does not set in a cold room and has a "
            "very long shelf life, which suits clinics that get through oil "
            "slowly.\n\n"
            "Its silky, non-sticky finish works well for sports and relaxation "
            "massage, and it rinses out of towels more readily than heavier "
            "oils. At home it is a handy carrier for your own blends."
        ),
        how_to_use=(
            "Pump a small amount into the hand and spread it over the area "
            "before working deeper. A little goes a long way, so add more only "
            "as needed. Wipe the pump nozzle after each session."
        ),
        ingredients="Caprylic/Capric Triglyceride, Tocopherol",
        cautions=(
            "Derived from coconut: avoid if the client reacts to coconut. Patch "
            "test before first use and keep away from the eyes."
        ),
        allergens=["coconut"],
        suitable=["fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#7FA7A3", "#F7F5EC"),
        variants=[
            dict(sku="OIL-FCO-0100", size="100 ml", amount=100, unit="ml", price=849, trade=639, stock=55, professional=False),
            dict(sku="OIL-FCO-0250", size="250 ml", amount=250, unit="ml", price=1599, trade=1199, stock=48, professional=False),
            dict(sku="OIL-FCO-1000", size="1 L", amount=1000, unit="ml", price=3699, trade=2749, stock=33, professional=True),
            dict(sku="OIL-FCO-5000", size="5 L", amount=5000, unit="ml", price=13999, trade=10499, stock=15, professional=True),
        ],
    ),
    dict(
        slug="jojoba-blend-massage-oil",
        name="Jojoba Blend Massage Oil",
        category="oils",
        summary="Jojoba, grapeseed and sunflower blend with a satin finish, kind to dry skin and free from nuts.",
        description=(
            "Jojoba is really a liquid wax, close in feel to the skin's own "
            "oils. Blended with grapeseed and sunflower it gives a satin glide "
            "that lasts without turning sticky, and it suits dry or mature "
            "skin.\n\n"
            "There is no added scent and no nut or coconut oil, so it is an "
            "easy choice for therapists working with clients who have "
            "sensitivities. It also makes a gentle daily oil for patients doing "
            "their own self-massage between appointments."
        ),
        how_to_use=(
            "Apply a few drops at a time and build up gradually; the blend "
            "stays workable for a long time. For self-massage, use slow strokes "
            "towards the heart after a warm shower."
        ),
        ingredients=(
            "Simmondsia Chinensis (Jojoba) Seed Oil, Vitis Vinifera (Grape) Seed "
            "Oil, Helianthus Annuus (Sunflower) Seed Oil, Tocopherol"
        ),
        cautions=(
            "Patch test before first use. Do not apply to broken, weeping or "
            "infected skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#B89B5E", "#F1E2B0"),
        variants=[
            dict(sku="OIL-JOJ-0100", size="100 ml", amount=100, unit="ml", price=1099, trade=819, stock=39, professional=False),
            dict(sku="OIL-JOJ-0250", size="250 ml", amount=250, unit="ml", price=2199, trade=1649, stock=27, professional=False),
            dict(sku="OIL-JOJ-1000", size="1 L", amount=1000, unit="ml", price=5499, trade=4099, stock=3, professional=True),
        ],
    ),
    dict(
        slug="arnica-massage-oil",
        name="Arnica Massage Oil",
        category="oils",
        summary="Arnica flowers infused in sunflower and almond oil, for working tired, overused muscles.",
        description=(
            "Arnica has long been a favourite after sport and hard physical "
            "work. We infuse the flowers in sunflower and sweet almond oil and "
            "add a touch of lavender, giving a golden oil with a gentle herbal "
            "scent.\n\n"
            "Therapists reach for it in sports and remedial sessions on "
            "fatigued legs, shoulders and backs. At home it is a comforting rub "
            "for stiff muscles after training or gardening, on skin that is "
            "completely intact."
        ),
        how_to_use=(
            "Massage a small amount into the area with firm, even strokes until "
            "the skin feels warm. Use up to three times a day on unbroken skin "
            "and wash your hands afterwards."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Prunus Amygdalus Dulcis "
            "(Sweet Almond) Oil, Arnica Montana Flower Extract, Lavandula "
            "Angustifolia (Lavender) Oil, Tocopherol, Linalool, Limonene"
        ),
        cautions=(
            "Arnica must never be used on broken or grazed skin. Contains almond "
            "oil and daisy-family extract, so patch test first; seek advice "
            "before using essential oils in pregnancy."
        ),
        allergens=["tree-nuts", "compositae", "fragrance-allergens"],
        suitable=["vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#D4A72C", "#F2D27A"),
        variants=[
            dict(sku="OIL-ARN-0100", size="100 ml", amount=100, unit="ml", price=999, trade=749, stock=66, professional=False),
            dict(sku="OIL-ARN-0250", size="250 ml", amount=250, unit="ml", price=1999, trade=1499, stock=44, professional=False),
            dict(sku="OIL-ARN-1000", size="1 L", amount=1000, unit="ml", price=4999, trade=3749, stock=21, professional=True),
        ],
    ),
    dict(
        slug="lavender-relaxing-massage-oil",
        name="Lavender Relaxing Massage Oil",
        category="oils",
        summary="Soft lavender massage oil for calm, unhurried evening massage and a better night's sleep.",
        description=(
            "A gentle blend of almond and grapeseed oil scented with true "
            "lavender. It is made for slow, soothing massage where the aim is to "
            "let go of the day's tension as much as to loosen muscles.\n\n"
            "Many people find that an easier mind and looser shoulders help them "
            "sleep. At home it is lovely for a partner massage before bed, and "
            "in the clinic it suits relaxation treatments at the end of a "
            "rehabilitation programme."
        ),
        how_to_use=(
            "Warm a little oil in your hands and breathe in the scent before "
            "you begin. Use long, slow strokes over the back, neck and shoulders, "
            "adding more oil as it is absorbed."
        ),
        ingredients=(
            "Prunus Amygdalus Dulcis (Sweet Almond) Oil, Vitis Vinifera (Grape) "
            "Seed Oil, Lavandula Angustifolia (Lavender) Oil, Tocopherol, "
            "Linalool, Limonene, Geraniol, Coumarin"
        ),
        cautions=(
            "Contains almond oil and essential oil: patch test first and do not "
            "use with a nut allergy. Seek advice from a midwife or doctor before "
            "use in pregnancy, and keep away from the eyes."
        ),
        allergens=["tree-nuts", "fragrance-allergens"],
        suitable=["vegan"],
        home_care=True,
        practice=True,
        featured=True,
        container="bottle",
        colours=("#8E7CB0", "#E3DAF0"),
        variants=[
            dict(sku="OIL-LAV-0100", size="100 ml", amount=100, unit="ml", price=899, trade=669, stock=92, professional=False),
            dict(sku="OIL-LAV-0250", size="250 ml", amount=250, unit="ml", price=1799, trade=1349, stock=57, professional=False),
            dict(sku="OIL-LAV-1000", size="1 L", amount=1000, unit="ml", price=4299, trade=3199, stock=0, professional=True),
        ],
    ),
    dict(
        slug="warming-sports-massage-oil",
        name="Warming Sports Massage Oil",
        category="oils",
        summary="Ginger, black pepper and capsicum warming oil for pre-event and post-training sports massage.",
        description=(
            "A nut-free sunflower and grapeseed base carrying ginger, black "
            "pepper and rosemary oils with a little capsicum extract. The "
            "warmth builds gently over a few minutes and suits brisk, "
            "stimulating work.\n\n"
            "Sports therapists use it to prepare muscles before an event and to "
            "help athletes recover after a heavy training block. Active people "
            "at home like it on calves, hamstrings and lower back as part of a "
            "warm-up routine."
        ),
        how_to_use=(
            "Apply a thin layer and massage briskly; the warmth takes a few "
            "minutes to develop, so do not keep adding more. Wash your hands "
            "thoroughly with soap afterwards."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Vitis Vinifera (Grape) Seed "
            "Oil, Zingiber Officinale (Ginger) Root Oil, Piper Nigrum (Pepper) "
            "Fruit Oil, Rosmarinus Officinalis (Rosemary) Leaf Oil, Capsicum "
            "Frutescens Fruit Extract, Tocopherol, Limonene, Linalool"
        ),
        cautions=(
            "Do not use on sensitive, broken or freshly shaved skin, or together "
            "with heat packs or straight after a hot bath. Keep away from eyes "
            "and mucous membranes; seek advice before use in pregnancy."
        ),
        allergens=["fragrance-allergens"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#B5542E", "#E8A25F"),
        variants=[
            dict(sku="OIL-WRM-0100", size="100 ml", amount=100, unit="ml", price=949, trade=709, stock=71, professional=False),
            dict(sku="OIL-WRM-0250", size="250 ml", amount=250, unit="ml", price=1899, trade=1419, stock=38, professional=False),
            dict(sku="OIL-WRM-1000", size="1 L", amount=1000, unit="ml", price=4499, trade=3349, stock=24, professional=True),
        ],
    ),
    dict(
        slug="unscented-sunflower-base-oil",
        name="Unscented Sunflower Base Oil",
        category="oils",
        summary="High-oleic sunflower oil: an economical, nut-free and unscented base for everyday treatments.",
        description=(
            "A plain, high-oleic sunflower oil that resists going stale and has "
            "a medium glide, neither too thin nor too heavy. With nothing added "
            "except vitamin E, it is about as simple as a massage oil gets.\n\n"
            "It is our most economical option for practices that treat many "
            "clients a day, and it makes a reliable carrier for therapists who "
            "add their own essential oils. The 100 ml size is ideal for "
            "patients continuing self-massage at home."
        ),
        how_to_use=(
            "Use straight from the bottle, warming it in the hands first. For "
            "custom blends, add essential oils at no more than 2% and label the "
            "bottle clearly."
        ),
        ingredients="Helianthus Annuus (Sunflower) Seed Oil, Tocopherol",
        cautions=(
            "Patch test before first use if the skin is reactive. Not for use on "
            "broken or infected skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#D9B44A", "#F6E7A6"),
        variants=[
            dict(sku="OIL-SUN-0100", size="100 ml", amount=100, unit="ml", price=549, trade=409, stock=88, professional=False),
            dict(sku="OIL-SUN-0250", size="250 ml", amount=250, unit="ml", price=999, trade=749, stock=64, professional=False),
            dict(sku="OIL-SUN-1000", size="1 L", amount=1000, unit="ml", price=2499, trade=1849, stock=52, professional=True),
            dict(sku="OIL-SUN-5000", size="5 L", amount=5000, unit="ml", price=8999, trade=6699, stock=29, professional=True),
        ],
    ),
    # ---------------------------------------------------------------- creams
    dict(
        slug="arnica-recovery-cream",
        name="Arnica Recovery Cream",
        category="creams",
        summary="Nut-free arnica cream for aching, overworked muscles after sport, exercise or a long day on your feet.",
        description=(
            "A light, non-greasy cream made with arnica flower extract in a "
            "sunflower oil base, with a hint of lavender. It rubs in quickly, so "
            "it is easy to use before getting dressed or heading back to work.\n\n"
            "Patients often keep a tube at home to use between physiotherapy "
            "appointments on stiff calves, shoulders or back. In the clinic, the "
            "pump sizes give enough slip for a short remedial massage without "
            "leaving skin oily."
        ),
        how_to_use=(
            "Massage a hazelnut-sized amount into the area until absorbed. Use "
            "up to three times a day on unbroken skin. Wash your hands after "
            "applying."
        ),
        ingredients=(
            "Aqua, Helianthus Annuus (Sunflower) Seed Oil, Glycerin, Cetearyl "
            "Alcohol, Glyceryl Stearate, Arnica Montana Flower Extract, "
            "Ceteareth-20, Lavandula Angustifolia (Lavender) Oil, Phenoxyethanol, "
            "Ethylhexylglycerin, Tocopherol, Linalool"
        ),
        cautions=(
            "Do not use on broken, grazed or bleeding skin. Contains arnica, a "
            "daisy-family plant, so patch test first; seek advice before use in "
            "pregnancy."
        ),
        allergens=["compositae", "fragrance-allergens"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=True,
        container="jar",
        colours=("#C99A2E", "#F4E2B8"),
        variants=[
            dict(sku="CRM-ARN-0100", size="100 ml", amount=100, unit="ml", price=1099, trade=819, stock=104, professional=False),
            dict(sku="CRM-ARN-0250", size="250 ml", amount=250, unit="ml", price=2199, trade=1649, stock=67, professional=False),
            dict(sku="CRM-ARN-0500", size="500 ml", amount=500, unit="ml", price=3499, trade=2599, stock=31, professional=True),
            dict(sku="CRM-ARN-1000", size="1 L", amount=1000, unit="ml", price=5999, trade=4499, stock=19, professional=True,
                 breaks=[(6, 4274), (12, 4049)]),
        ],
    ),
    dict(
        slug="unscented-massage-cream",
        name="Unscented Massage Cream",
        category="creams",
        summary="The everyday clinic cream: medium glide, no fragrance, no nuts, and it wipes off clean.",
        description=(
            "A versatile cream with a medium glide that moves from broad, "
            "flowing strokes to slower, more specific work without switching "
            "products. It contains no fragrance and no nut or coconut "
            "ingredients.\n\n"
            "Because it suits almost every client, it is the cream many "
            "physiotherapists and massage therapists keep on the shelf for "
            "routine soft-tissue work. The 1 L and 5 L refills keep pump "
            "bottles filled for a fraction of the price."
        ),
        how_to_use=(
            "Dispense one or two pumps, spread over the area and work in. Add "
            "more for extra glide, or let it absorb a little for more grip. "
            "Refill pumps only after washing and drying them."
        ),
        ingredients=(
            "Aqua, Helianthus Annuus (Sunflower) Seed Oil, Cetearyl Alcohol, "
            "Glycerin, Glyceryl Stearate, Ceteareth-20, Xanthan Gum, "
            "Phenoxyethanol, Ethylhexylglycerin, Tocopherol"
        ),
        cautions=(
            "Patch test before first use on very sensitive skin. Do not apply "
            "to broken or infected skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=True,
        container="pump",
        colours=("#9DB2BF", "#F8F6F0"),
        variants=[
            dict(sku="CRM-UNS-0100", size="100 ml", amount=100, unit="ml", price=749, trade=559, stock=73, professional=False),
            dict(sku="CRM-UNS-0250", size="250 ml", amount=250, unit="ml", price=1399, trade=1049, stock=81, professional=False),
            dict(sku="CRM-UNS-1000", size="1 L", amount=1000, unit="ml", price=2999, trade=2249, stock=54, professional=True,
                 case=6, breaks=[(12, 2137), (24, 2024)]),
            dict(sku="CRM-UNS-5000", size="5 L", amount=5000, unit="ml", price=9999, trade=7499, stock=26, professional=True),
        ],
    ),
    dict(
        slug="deep-tissue-massage-cream",
        name="Deep Tissue Massage Cream",
        category="creams",
        summary="High-grip shea and beeswax cream for deep tissue, myofascial and trigger point work.",
        description=(
            "Deep work needs traction, not slip. This firm cream is built on "
            "shea butter and beeswax, so the hands can hold and sink into tissue "
            "instead of sliding over it. It is unscented and is absorbed slowly, "
            "giving a long working time.\n\n"
            "It is made for therapists doing myofascial release, cross-fibre "
            "friction and sustained pressure on trigger points. The 100 ml jar "
            "is a handy size for a mobile kit; clinics usually buy the 1 L or "
            "5 L."
        ),
        how_to_use=(
            "Scoop a small amount with a spatula and warm it in the hands. Use "
            "very little for maximum grip and add more only to ease into longer "
            "strokes."
        ),
        ingredients=(
            "Aqua, Butyrospermum Parkii (Shea) Butter, Helianthus Annuus "
            "(Sunflower) Seed Oil, Cera Alba (Beeswax), Cetearyl Alcohol, "
            "Glycerin, Glyceryl Stearate, Sodium Stearoyl Lactylate, "
            "Phenoxyethanol, Ethylhexylglycerin, Tocopherol"
        ),
        cautions=(
            "Contains shea butter: check for nut allergy and patch test first. "
            "Do not apply deep pressure over broken skin, recent injuries or "
            "areas of suspected clotting."
        ),
        allergens=["tree-nuts"],
        suitable=["fragrance-free"],
        home_care=False,
        practice=True,
        featured=True,
        container="jar",
        colours=("#6E5A4B", "#EFE6D8"),
        variants=[
            dict(sku="CRM-DTC-0100", size="100 ml", amount=100, unit="ml", price=899, trade=669, stock=47, professional=False),
            dict(sku="CRM-DTC-0500", size="500 ml", amount=500, unit="ml", price=2999, trade=2249, stock=36, professional=True),
            dict(sku="CRM-DTC-1000", size="1 L", amount=1000, unit="ml", price=4999, trade=3699, stock=28, professional=True),
            dict(sku="CRM-DTC-5000", size="5 L", amount=5000, unit="ml", price=17999, trade=13499, stock=16, professional=True),
        ],
    ),
    dict(
        slug="shea-butter-massage-cream",
        name="Shea Butter Massage Cream",
        category="creams",
        summary="Rich shea and almond cream with a warm, soft scent that leaves dry skin comfortable.",
        description=(
            "A generous, nourishing cream with shea butter and sweet almond "
            "oil. It offers a cushioned glide for relaxation massage and leaves "
            "dry skin feeling supple, with a soft, warm fragrance.\n\n"
            "Therapists like it for clients with dry or winter-worn skin and for "
            "pampering treatments. At home it works as both a massage cream and "
            "an intensive body moisturiser for elbows, knees and heels."
        ),
        how_to_use=(
            "Warm a small scoop between the palms and apply with broad, gentle "
            "strokes. As a moisturiser, smooth over dry areas after bathing."
        ),
        ingredients=(
            "Aqua, Butyrospermum Parkii (Shea) Butter, Prunus Amygdalus Dulcis "
            "(Sweet Almond) Oil, Glycerin, Cetearyl Alcohol, Glyceryl Stearate, "
            "Sodium Stearoyl Lactylate, Parfum, Phenoxyethanol, "
            "Ethylhexylglycerin, Tocopherol, Linalool, Limonene"
        ),
        cautions=(
            "Contains shea butter, almond oil and perfume: not for people with "
            "nut allergies or fragrance sensitivity. Patch test before first use."
        ),
        allergens=["tree-nuts", "fragrance-allergens"],
        suitable=["vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="jar",
        colours=("#B79C7A", "#F5EBDD"),
        variants=[
            dict(sku="CRM-SHE-0100", size="100 ml", amount=100, unit="ml", price=999, trade=749, stock=58, professional=False),
            dict(sku="CRM-SHE-0250", size="250 ml", amount=250, unit="ml", price=1999, trade=1499, stock=35, professional=False),
            dict(sku="CRM-SHE-1000", size="1 L", amount=1000, unit="ml", price=4499, trade=3349, stock=0, professional=True),
        ],
    ),
    dict(
        slug="calendula-soothing-cream",
        name="Calendula Soothing Cream",
        category="creams",
        summary="Unscented calendula and lanolin cream to comfort dry, easily irritated skin.",
        description=(
            "Calendula flower extract and lanolin in a soft, unperfumed cream "
            "that comforts skin feeling dry, tight or chafed. It is gentle "
            "enough for regular use on areas that get a lot of handling.\n\n"
            "Therapists use it to finish a treatment on dry skin or as a light "
            "massage medium for small areas. Patients find it useful at home on "
            "skin around supports, braces and strapping, provided the skin "
            "itself is unbroken."
        ),
        how_to_use=(
            "Smooth a thin layer over clean, dry skin and massage gently until "
            "absorbed. Use as often as needed."
        ),
        ingredients=(
            "Aqua, Helianthus Annuus (Sunflower) Seed Oil, Glycerin, Cetearyl "
            "Alcohol, Lanolin, Calendula Officinalis Flower Extract, Glyceryl "
            "Stearate, Ceteareth-20, Phenoxyethanol, Ethylhexylglycerin, "
            "Tocopherol"
        ),
        cautions=(
            "Contains lanolin and calendula (daisy family): patch test first if "
            "either has caused a reaction before. Not for open wounds."
        ),
        allergens=["compositae", "lanolin"],
        suitable=["nut-free", "fragrance-free"],
        home_care=True,
        practice=True,
        featured=False,
        container="tube",
        colours=("#E0A030", "#FBEBC4"),
        variants=[
            dict(sku="CRM-CAL-0050", size="50 ml", amount=50, unit="ml", price=699, trade=519, stock=69, professional=False),
            dict(sku="CRM-CAL-0100", size="100 ml", amount=100, unit="ml", price=1199, trade=899, stock=53, professional=False),
            dict(sku="CRM-CAL-0500", size="500 ml", amount=500, unit="ml", price=3999, trade=2999, stock=17, professional=True),
        ],
    ),
    dict(
        slug="peppermint-foot-cream",
        name="Peppermint Foot Cream",
        category="creams",
        summary="Cooling peppermint and urea cream that refreshes tired feet and softens rough heels.",
        description=(
            "A refreshing foot cream with peppermint oil and menthol for a cool, "
            "tingling feel, plus urea and lanolin to soften hard, dry skin on "
            "heels and soles.\n\n"
            "It is made for home use: a quick evening foot rub after a long day "
            "standing, walking or training, or as part of a self-care routine "
            "recommended by your therapist. Rolling the arch over a ball "
            "afterwards is a nice finishing touch."
        ),
        how_to_use=(
            "Massage into clean, dry feet, working the heels and balls of the "
            "feet, once or twice a day. Avoid the skin between the toes and wash "
            "your hands afterwards."
        ),
        ingredients=(
            "Aqua, Urea, Glycerin, Cetearyl Alcohol, Helianthus Annuus "
            "(Sunflower) Seed Oil, Lanolin, Glyceryl Stearate, Mentha Piperita "
            "(Peppermint) Oil, Menthol, Ceteareth-20, Phenoxyethanol, "
            "Ethylhexylglycerin, Limonene"
        ),
        cautions=(
            "Peppermint and menthol are not suitable for babies or young "
            "children. Do not use on cracked, bleeding or broken skin and keep "
            "away from the eyes; people with diabetes should check with their "
            "podiatrist first."
        ),
        allergens=["lanolin", "fragrance-allergens"],
        suitable=["nut-free"],
        home_care=True,
        practice=False,
        featured=False,
        container="tube",
        colours=("#5E9E8A", "#DDF0E6"),
        variants=[
            dict(sku="CRM-PFC-0075", size="75 ml", amount=75, unit="ml", price=699, trade=None, stock=94, professional=False),
            dict(sku="CRM-PFC-0150", size="150 ml", amount=150, unit="ml", price=1149, trade=None, stock=61, professional=False),
        ],
    ),
    dict(
        slug="hemp-seed-massage-cream",
        name="Hemp Seed Massage Cream",
        category="creams",
        summary="Unscented hemp seed oil cream with an easy glide; nut-free, vegan and CBD-free.",
        description=(
            "Cold-pressed hemp seed oil is rich in essential fatty acids and "
            "gives this cream a soft, easy glide and a comfortable finish. It "
            "is made from the seeds only and contains no CBD or other "
            "cannabinoids.\n\n"
            "It is unscented, nut-free and vegan, so it suits a wide range of "
            "clients in practice. At home, it is a gentle cream for general "
            "self-massage and for dry skin on arms and legs."
        ),
        how_to_use=(
            "Pump a small amount, warm it in the palms and massage in with "
            "flowing strokes. Add more for longer glide."
        ),
        ingredients=(
            "Aqua, Cannabis Sativa Seed Oil, Helianthus Annuus (Sunflower) Seed "
            "Oil, Glycerin, Cetearyl Alcohol, Glyceryl Stearate, Sodium Stearoyl "
            "Lactylate, Xanthan Gum, Phenoxyethanol, Ethylhexylglycerin, "
            "Tocopherol"
        ),
        cautions=(
            "Patch test before first use. Do not apply to broken or irritated "
            "skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#6F7F4F", "#E8EAD2"),
        variants=[
            dict(sku="CRM-HMP-0100", size="100 ml", amount=100, unit="ml", price=1049, trade=789, stock=49, professional=False),
            dict(sku="CRM-HMP-0250", size="250 ml", amount=250, unit="ml", price=2099, trade=1569, stock=32, professional=False),
            dict(sku="CRM-HMP-1000", size="1 L", amount=1000, unit="ml", price=4799, trade=3599, stock=20, professional=True),
        ],
    ),
    # ----------------------------------------------------------------- balms
    dict(
        slug="warming-muscle-balm",
        name="Warming Muscle Balm",
        category="balms",
        summary="Concentrated camphor, ginger and capsicum balm that brings deep warmth to stiff muscles.",
        description=(
            "A firm plant-wax balm with shea butter, camphor, ginger, black "
            "pepper and capsicum. It melts on contact with the skin and brings "
            "a slow, deep warmth to stiff necks, shoulders and lower backs.\n\n"
            "Therapists use a small amount on specific areas before stretching "
            "or mobilisation work. At home it is a handy tin to rub into tight "
            "muscles before exercise or on cold mornings."
        ),
        how_to_use=(
            "Rub a pea-sized amount into the area; the warmth builds over "
            "several minutes. Do not cover with tight bandages, and wash your "
            "hands straight after use."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Euphorbia Cerifera "
            "(Candelilla) Wax, Butyrospermum Parkii (Shea) Butter, Camphor, "
            "Zingiber Officinale (Ginger) Root Oil, Piper Nigrum (Pepper) Fruit "
            "Oil, Eucalyptus Globulus Leaf Oil, Capsicum Frutescens Fruit "
            "Extract, Tocopherol, Limonene, Linalool"
        ),
        cautions=(
            "Not for sensitive, broken or recently shaved skin, and never use "
            "with heat packs or hot water bottles. Not for children; keep away "
            "from eyes and seek advice before use in pregnancy."
        ),
        allergens=["tree-nuts", "fragrance-allergens"],
        suitable=["vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="tin",
        colours=("#A6452F", "#E7B07A"),
        variants=[
            dict(sku="BLM-WRM-0050", size="50 g", amount=50, unit="g", price=899, trade=669, stock=86, professional=False),
            dict(sku="BLM-WRM-0100", size="100 g", amount=100, unit="g", price=1499, trade=1119, stock=59, professional=False),
            dict(sku="BLM-WRM-0500", size="500 g", amount=500, unit="g", price=4999, trade=3749, stock=18, professional=True),
        ],
    ),
    dict(
        slug="arnica-bruise-balm",
        name="Arnica Bruise Balm",
        category="balms",
        summary="Pocket tin of arnica and calendula balm for knocks and bumps on unbroken skin.",
        description=(
            "A small, unscented beeswax balm carrying a generous dose of arnica "
            "with calendula. The firm texture lets you apply it precisely to "
            "the spot that needs it without spreading it everywhere.\n\n"
            "It is a home first-aid-kit staple for knocks and bumps from sport, "
            "play or DIY, as long as the skin is not broken. Therapists often "
            "suggest a tin to clients for use between sessions."
        ),
        how_to_use=(
            "Gently apply a thin layer to the area two or three times a day. "
            "Do not massage firmly over a fresh bruise; light contact is enough."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Cera Alba (Beeswax), Arnica "
            "Montana Flower Extract, Calendula Officinalis Flower Extract, "
            "Tocopherol"
        ),
        cautions=(
            "Arnica is not for broken, grazed or bleeding skin. Contains "
            "daisy-family extracts, so patch test first; seek medical advice "
            "for bruising that appears without cause or does not fade."
        ),
        allergens=["compositae"],
        suitable=["nut-free", "fragrance-free"],
        home_care=True,
        practice=False,
        featured=False,
        container="tin",
        colours=("#C8A03A", "#F5E3A8"),
        variants=[
            dict(sku="BLM-ARN-0030", size="30 g", amount=30, unit="g", price=699, trade=519, stock=112, professional=False),
            dict(sku="BLM-ARN-0060", size="60 g", amount=60, unit="g", price=1099, trade=819, stock=2, professional=False),
        ],
    ),
    dict(
        slug="beeswax-massage-balm",
        name="Beeswax Massage Balm",
        category="balms",
        summary="Traditional beeswax, shea and almond balm that melts into a slow, controllable glide.",
        description=(
            "A classic balm of beeswax, shea butter, almond and sunflower oil "
            "with no added scent. It starts firm, softens with the warmth of "
            "the hands and gives a slow, controlled glide with good grip.\n\n"
            "Massage therapists favour it for focused work on necks, shoulders "
            "and forearms, where a runny oil would go too far. It also keeps "
            "well, which suits mobile therapists and anyone who massages only "
            "now and then at home."
        ),
        how_to_use=(
            "Take a small amount with a spatula or clean fingers and warm it "
            "between the palms until it melts. Work into the area with slow, "
            "firm strokes."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Cera Alba (Beeswax), "
            "Butyrospermum Parkii (Shea) Butter, Prunus Amygdalus Dulcis (Sweet "
            "Almond) Oil, Tocopherol"
        ),
        cautions=(
            "Contains almond oil and shea butter: not for use with a nut "
            "allergy. Patch test first and avoid broken skin."
        ),
        allergens=["tree-nuts"],
        suitable=["fragrance-free"],
        home_care=True,
        practice=True,
        featured=False,
        container="jar",
        colours=("#C8962E", "#F3D98B"),
        variants=[
            dict(sku="BLM-BWX-0100", size="100 g", amount=100, unit="g", price=1299, trade=969, stock=43, professional=False),
            dict(sku="BLM-BWX-0250", size="250 g", amount=250, unit="g", price=2499, trade=1869, stock=30, professional=False),
            dict(sku="BLM-BWX-0500", size="500 g", amount=500, unit="g", price=4499, trade=3349, stock=4, professional=True),
        ],
    ),
    dict(
        slug="cooling-menthol-balm",
        name="Cooling Menthol Balm",
        category="balms",
        summary="Menthol, peppermint and eucalyptus balm for a crisp, cooling feel on tired, aching muscles.",
        description=(
            "A plant-wax balm with menthol, peppermint and eucalyptus that "
            "gives an immediate, refreshing cool feeling on tired muscles and "
            "joints. It is vegan and contains no nut oils.\n\n"
            "People keep it at home or in a gym bag for after a run, a long "
            "drive or a day at a desk. In the clinic, a little at the end of a "
            "sports treatment leaves the client feeling fresh rather than "
            "oily."
        ),
        how_to_use=(
            "Rub a small amount into the area until the cooling feeling starts. "
            "Reapply up to four times a day and wash your hands afterwards."
        ),
        ingredients=(
            "Helianthus Annuus (Sunflower) Seed Oil, Euphorbia Cerifera "
            "(Candelilla) Wax, Menthol, Mentha Piperita (Peppermint) Oil, "
            "Eucalyptus Globulus Leaf Oil, Tocopherol, Limonene"
        ),
        cautions=(
            "Not suitable for babies or young children. Keep away from the eyes "
            "and do not use on broken skin; seek advice before use in "
            "pregnancy."
        ),
        allergens=["fragrance-allergens"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=True,
        container="tin",
        colours=("#5F8FA8", "#DCEEF2"),
        variants=[
            dict(sku="BLM-MNT-0050", size="50 g", amount=50, unit="g", price=849, trade=629, stock=97, professional=False),
            dict(sku="BLM-MNT-0100", size="100 g", amount=100, unit="g", price=1399, trade=1049, stock=63, professional=False),
            dict(sku="BLM-MNT-0500", size="500 g", amount=500, unit="g", price=4799, trade=3599, stock=21, professional=True),
        ],
    ),
    dict(
        slug="trigger-point-balm",
        name="Trigger Point Balm",
        category="balms",
        summary="Extra-firm, unscented balm that gives maximum grip for trigger point and myofascial work.",
        description=(
            "The firmest balm we make, with shea butter, coconut oil and "
            "beeswax. It gives almost no slide, so the thumb, knuckle or elbow "
            "stays exactly where you place it while holding pressure.\n\n"
            "Designed for therapists working trigger points and fascial "
            "restrictions, and for patients shown by their physio how to use a "
            "massage ball or their own fingers on a tight spot at home. It is "
            "unscented, so it does not compete with other products."
        ),
        how_to_use=(
            "Use only a thin film: too much balm reduces grip. Locate the "
            "tender point, hold steady pressure, then release slowly."
        ),
        ingredients=(
            "Butyrospermum Parkii (Shea) Butter, Cocos Nucifera (Coconut) Oil, "
            "Cera Alba (Beeswax), Helianthus Annuus (Sunflower) Seed Oil, "
            "Tocopherol"
        ),
        cautions=(
            "Contains shea butter and coconut oil: check for allergies and "
            "patch test first. Do not hold pressure over broken skin, varicose "
            "veins or recent injuries."
        ),
        allergens=["tree-nuts", "coconut"],
        suitable=["fragrance-free"],
        home_care=True,
        practice=True,
        featured=False,
        container="jar",
        colours=("#7A6A8F", "#EDE3CF"),
        variants=[
            dict(sku="BLM-TRP-0050", size="50 g", amount=50, unit="g", price=799, trade=599, stock=51, professional=False),
            dict(sku="BLM-TRP-0150", size="150 g", amount=150, unit="g", price=1899, trade=1419, stock=0, professional=False),
            dict(sku="BLM-TRP-0500", size="500 g", amount=500, unit="g", price=4999, trade=3749, stock=15, professional=True),
        ],
    ),
    dict(
        slug="rosehip-scar-care-balm",
        name="Rosehip Scar Care Balm",
        category="balms",
        summary="Rosehip and shea balm for scar massage at home once a wound has completely healed.",
        description=(
            "After surgery or injury, scar tissue can become tight and stick to "
            "the layers beneath, limiting how a joint moves. This unscented "
            "balm of rosehip oil, shea butter and plant wax keeps the skin "
            "supple during gentle scar massage.\n\n"
            "It is intended for home use, following the scar-massage routine "
            "your physiotherapist has shown you. The small tins are easy to "
            "carry so you can fit short sessions into the day."
        ),
        how_to_use=(
            "Only start once the wound is fully closed and your clinician has "
            "agreed. Apply a small amount and use firm circular and "
            "side-to-side movements over the scar for a few minutes, once or "
            "twice a day."
        ),
        ingredients=(
            "Rosa Canina (Rosehip) Fruit Oil, Helianthus Annuus (Sunflower) Seed "
            "Oil, Butyrospermum Parkii (Shea) Butter, Euphorbia Cerifera "
            "(Candelilla) Wax, Tocopherol"
        ),
        cautions=(
            "Never use on open wounds, stitches, scabs or a scar that is red, "
            "hot or weeping. Contains shea butter, so patch test first if you "
            "have a nut allergy."
        ),
        allergens=["tree-nuts"],
        suitable=["fragrance-free", "vegan"],
        home_care=True,
        practice=False,
        featured=True,
        container="tin",
        colours=("#B5656B", "#F2C9B8"),
        variants=[
            dict(sku="BLM-RSH-0030", size="30 g", amount=30, unit="g", price=1199, trade=None, stock=76, professional=False),
            dict(sku="BLM-RSH-0060", size="60 g", amount=60, unit="g", price=1999, trade=None, stock=45, professional=False),
        ],
    ),
    # --------------------------------------------------------------- lotions
    dict(
        slug="unscented-massage-lotion",
        name="Unscented Massage Lotion",
        category="lotions",
        summary="Fast-absorbing, unscented lotion for quick treatments and large areas; nut-free and vegan.",
        description=(
            "A light lotion that spreads a long way and sinks in cleanly, "
            "leaving the skin ready for taping, clothing or the next exercise. "
            "There is no fragrance and nothing derived from nuts or coconut.\n\n"
            "It suits clinics running short, back-to-back appointments where a "
            "few minutes of soft-tissue work come before exercise or other "
            "treatment. The 5 L refill is the most economical way to keep "
            "several treatment rooms stocked."
        ),
        how_to_use=(
            "Pump a small amount onto the hands and spread over the whole area "
            "before working. It absorbs fairly quickly, so add more for longer "
            "strokes."
        ),
        ingredients=(
            "Aqua, Helianthus Annuus (Sunflower) Seed Oil, Glycerin, Cetearyl "
            "Alcohol, Glyceryl Stearate, Ceteareth-20, Xanthan Gum, "
            "Phenoxyethanol, Ethylhexylglycerin, Tocopherol"
        ),
        cautions=(
            "Patch test before first use if the skin is sensitive. Do not apply "
            "to broken skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#8FA3B8", "#F6F7F4"),
        variants=[
            dict(sku="LOT-UNS-0250", size="250 ml", amount=250, unit="ml", price=1199, trade=899, stock=72, professional=False),
            dict(sku="LOT-UNS-1000", size="1 L", amount=1000, unit="ml", price=2799, trade=2099, stock=57, professional=True),
            dict(sku="LOT-UNS-5000", size="5 L", amount=5000, unit="ml", price=8999, trade=6749, stock=23, professional=True),
        ],
    ),
    dict(
        slug="aloe-after-massage-lotion",
        name="Aloe After-Massage Lotion",
        category="lotions",
        summary="Light aloe lotion to leave skin fresh and moisturised after massage or sport.",
        description=(
            "A light, unscented lotion based on aloe vera leaf juice. It "
            "absorbs in moments and leaves skin feeling comfortable rather than "
            "oily, whether after a treatment or after a shower.\n\n"
            "Therapists use it to finish a session so clients can dress "
            "straight away. At home, it is a refreshing everyday moisturiser "
            "after exercise, and it is kind to skin that has been massaged or "
            "strapped."
        ),
        how_to_use=(
            "Smooth over the skin after massage or bathing and let it absorb. "
            "Use whenever skin feels dry or warm."
        ),
        ingredients=(
            "Aloe Barbadensis Leaf Juice, Aqua, Glycerin, Helianthus Annuus "
            "(Sunflower) Seed Oil, Cetearyl Alcohol, Glyceryl Stearate, "
            "Ceteareth-20, Allantoin, Xanthan Gum, Phenoxyethanol, "
            "Ethylhexylglycerin"
        ),
        cautions=(
            "Patch test before first use. Do not apply to open wounds or to "
            "sunburn that is blistered."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="bottle",
        colours=("#7FAE8A", "#E4F1E2"),
        variants=[
            dict(sku="LOT-ALO-0200", size="200 ml", amount=200, unit="ml", price=999, trade=749, stock=68, professional=False),
            dict(sku="LOT-ALO-0500", size="500 ml", amount=500, unit="ml", price=1999, trade=1499, stock=34, professional=True),
            dict(sku="LOT-ALO-1000", size="1 L", amount=1000, unit="ml", price=3299, trade=2469, stock=25, professional=True),
        ],
    ),
    dict(
        slug="oat-sensitive-skin-lotion",
        name="Oat Sensitive Skin Lotion",
        category="lotions",
        summary="Colloidal oat lotion for dry, itchy or reactive skin; unscented, nut-free and vegan.",
        description=(
            "Colloidal oatmeal has long been used to calm dry and itchy skin. "
            "This gentle lotion pairs it with glycerin and sunflower oil, and "
            "leaves out fragrance, essential oils and nut-derived ingredients.\n\n"
            "It is a good choice for clients whose skin reacts easily to "
            "massage products, and for patients with dry skin under casts, "
            "splints or compression garments once these are removed. Clinics "
            "can keep the 1 L size for sensitive clients."
        ),
        how_to_use=(
            "Apply to clean skin once or twice a day, or use as a light massage "
            "medium. Smooth gently rather than rubbing hard on irritated areas."
        ),
        ingredients=(
            "Aqua, Avena Sativa (Oat) Kernel Flour, Glycerin, Helianthus Annuus "
            "(Sunflower) Seed Oil, Cetearyl Alcohol, Glyceryl Stearate, "
            "Ceteareth-20, Xanthan Gum, Phenoxyethanol, Ethylhexylglycerin, "
            "Tocopherol"
        ),
        cautions=(
            "Contains oat: if you have coeliac disease or an oat allergy, patch "
            "test first. Not for broken or infected skin."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#B9A77E", "#F4EEDD"),
        variants=[
            dict(sku="LOT-OAT-0150", size="150 ml", amount=150, unit="ml", price=899, trade=669, stock=83, professional=False),
            dict(sku="LOT-OAT-0250", size="250 ml", amount=250, unit="ml", price=1299, trade=969, stock=50, professional=False),
            dict(sku="LOT-OAT-1000", size="1 L", amount=1000, unit="ml", price=3499, trade=2599, stock=1, professional=True),
        ],
    ),
    dict(
        slug="lavender-body-lotion",
        name="Lavender Body Lotion",
        category="lotions",
        summary="Soft lavender body lotion for an evening wind-down and comfortable, moisturised skin.",
        description=(
            "A creamy body lotion with shea butter and true lavender oil, made "
            "for the end of the day. It moisturises while the gentle scent "
            "helps set a calm mood before bed.\n\n"
            "It is a home-care product: a simple way to carry on the relaxing "
            "effect of a massage appointment, or to give tired legs and "
            "shoulders a short self-massage at night. Many people find that "
            "feeling relaxed helps them sleep better."
        ),
        how_to_use=(
            "Smooth over the body after a bath or shower, using slow strokes "
            "over the legs, arms and shoulders. Use daily."
        ),
        ingredients=(
            "Aqua, Helianthus Annuus (Sunflower) Seed Oil, Glycerin, "
            "Butyrospermum Parkii (Shea) Butter, Cetearyl Alcohol, Glyceryl "
            "Stearate, Lavandula Angustifolia (Lavender) Oil, Xanthan Gum, "
            "Phenoxyethanol, Ethylhexylglycerin, Linalool, Limonene, Geraniol, "
            "Coumarin"
        ),
        cautions=(
            "Contains lavender essential oil and shea butter: patch test first. "
            "Keep away from the eyes and seek advice before use in pregnancy."
        ),
        allergens=["tree-nuts", "fragrance-allergens"],
        suitable=["vegan"],
        home_care=True,
        practice=False,
        featured=False,
        container="bottle",
        colours=("#9A86B8", "#EDE6F5"),
        variants=[
            dict(sku="LOT-LAV-0100", size="100 ml", amount=100, unit="ml", price=649, trade=489, stock=79, professional=False),
            dict(sku="LOT-LAV-0250", size="250 ml", amount=250, unit="ml", price=1199, trade=899, stock=56, professional=False),
        ],
    ),
    dict(
        slug="magnesium-body-lotion",
        name="Magnesium Body Lotion",
        category="lotions",
        summary="Unscented magnesium chloride lotion for a relaxing self-massage after training or before bed.",
        description=(
            "A smooth, unscented lotion that combines magnesium chloride with "
            "coconut oil and glycerin. It spreads easily and is absorbed "
            "without the sticky film that magnesium sprays can leave.\n\n"
            "Active people use it for a short self-massage of legs and feet "
            "after training, and many make it part of a calming bedtime "
            "routine. Therapists can use the 1 L pump for post-event sports "
            "massage."
        ),
        how_to_use=(
            "Massage into the legs, feet or shoulders until absorbed. A slight "
            "tingle is normal at first and usually fades with regular use."
        ),
        ingredients=(
            "Aqua, Magnesium Chloride, Glycerin, Cocos Nucifera (Coconut) Oil, "
            "Cetearyl Alcohol, Glyceryl Stearate, Ceteareth-20, Xanthan Gum, "
            "Phenoxyethanol, Ethylhexylglycerin, Tocopherol"
        ),
        cautions=(
            "May sting on freshly shaved or broken skin, so avoid those areas. "
            "Contains coconut oil; patch test first."
        ),
        allergens=["coconut"],
        suitable=["fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#8AA6B0", "#EEF3F3"),
        variants=[
            dict(sku="LOT-MAG-0150", size="150 ml", amount=150, unit="ml", price=1099, trade=819, stock=60, professional=False),
            dict(sku="LOT-MAG-0250", size="250 ml", amount=250, unit="ml", price=1599, trade=1199, stock=42, professional=False),
            dict(sku="LOT-MAG-1000", size="1 L", amount=1000, unit="ml", price=4499, trade=3349, stock=19, professional=True),
        ],
    ),
    # ------------------------------------------------------------------ gels
    dict(
        slug="cooling-arnica-gel",
        name="Cooling Arnica Gel",
        category="gels",
        summary="Quick-drying arnica gel with menthol that cools on contact and leaves no greasy film.",
        description=(
            "A clear, non-greasy gel that pairs arnica with a little menthol. "
            "It cools the skin as it dries and leaves nothing behind, so it "
            "works under clothing, strapping or supports.\n\n"
            "Patients like it at home for stiff muscles and joints after "
            "activity, and therapists find it useful at the end of a session "
            "when no further massage medium is needed. It contains no nut oils."
        ),
        how_to_use=(
            "Apply a thin layer and rub in lightly until the gel has dried. "
            "Use up to four times a day on unbroken skin and wash your hands "
            "afterwards."
        ),
        ingredients=(
            "Aqua, Alcohol Denat., Arnica Montana Flower Extract, Glycerin, "
            "Menthol, Carbomer, Sodium Hydroxide, Phenoxyethanol, "
            "Ethylhexylglycerin"
        ),
        cautions=(
            "Do not use arnica on broken or grazed skin. Contains menthol, so "
            "not for young children; avoid the eyes and patch test if you react "
            "to daisy-family plants."
        ),
        allergens=["compositae"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="tube",
        colours=("#C9A43A", "#F3EBC4"),
        variants=[
            dict(sku="GEL-ARN-0100", size="100 ml", amount=100, unit="ml", price=899, trade=669, stock=91, professional=False),
            dict(sku="GEL-ARN-0250", size="250 ml", amount=250, unit="ml", price=1799, trade=1349, stock=46, professional=False),
            dict(sku="GEL-ARN-0500", size="500 ml", amount=500, unit="ml", price=2999, trade=2249, stock=22, professional=True),
        ],
    ),
    dict(
        slug="menthol-cooling-gel",
        name="Menthol Cooling Gel",
        category="gels",
        summary="Fast-acting menthol and eucalyptus gel for an intense cooling sensation after exertion.",
        description=(
            "A strong cooling gel with menthol, mint and eucalyptus oils. The "
            "chill is felt within seconds, and the gel dries quickly without "
            "leaving the skin sticky.\n\n"
            "It is popular in sports clubs and clinics for a refreshing finish "
            "to a treatment, and at home after runs, matches or gym sessions. "
            "The 1 L pump is aimed at sports therapists working at events."
        ),
        how_to_use=(
            "Apply a small amount and spread lightly; there is no need to "
            "massage it in deeply. Reapply after a few hours if needed and wash "
            "your hands after use."
        ),
        ingredients=(
            "Aqua, Alcohol Denat., Menthol, Glycerin, Carbomer, Mentha Arvensis "
            "Leaf Oil, Eucalyptus Globulus Leaf Oil, Sodium Hydroxide, "
            "Phenoxyethanol, Limonene"
        ),
        cautions=(
            "Not for babies or young children. Keep away from eyes, mouth and "
            "broken skin, and do not use with heat packs; seek advice before "
            "use in pregnancy."
        ),
        allergens=["fragrance-allergens"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="tube",
        colours=("#4F8FB0", "#D7ECF4"),
        variants=[
            dict(sku="GEL-MNT-0100", size="100 ml", amount=100, unit="ml", price=749, trade=559, stock=101, professional=False),
            dict(sku="GEL-MNT-0250", size="250 ml", amount=250, unit="ml", price=1499, trade=1119, stock=65, professional=False),
            dict(sku="GEL-MNT-1000", size="1 L", amount=1000, unit="ml", price=3999, trade=2999, stock=27, professional=True),
        ],
    ),
    dict(
        slug="ultrasound-transmission-gel",
        name="Ultrasound Transmission Gel",
        category="gels",
        summary="Clear, water-based coupling gel for therapeutic ultrasound; non-greasy, unscented, easy to wipe off.",
        description=(
            "Therapeutic ultrasound needs an air-free contact between the "
            "treatment head and the skin. This clear, medium-viscosity gel "
            "provides it, staying in place under the moving head without "
            "running or drying too fast.\n\n"
            "It is supplied for physiotherapy practices only, for use with "
            "ultrasound and other electrotherapy equipment that needs a "
            "conductive medium. It is unscented, salt-free and water-based, so "
            "it wipes off skin and equipment with a damp cloth."
        ),
        how_to_use=(
            "Apply a generous layer to the treatment area rather than to the "
            "head. Keep the head moving and add gel if contact is lost. Wipe "
            "the skin and transducer clean afterwards."
        ),
        ingredients=(
            "Aqua, Propylene Glycol, Carbomer, Triethanolamine, Phenoxyethanol, "
            "Ethylhexylglycerin"
        ),
        cautions=(
            "Not sterile: do not use on open wounds or for invasive procedures. "
            "Follow the equipment maker's contraindications for ultrasound "
            "treatment."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=False,
        practice=True,
        featured=True,
        container="pump",
        colours=("#4A7FA8", "#CFE6F5"),
        variants=[
            dict(sku="GEL-USG-0250", size="250 ml", amount=250, unit="ml", price=499, trade=369, stock=118, professional=False),
            dict(sku="GEL-USG-1000", size="1 L", amount=1000, unit="ml", price=899, trade=669, stock=74, professional=True),
            dict(sku="GEL-USG-5000", size="5 L", amount=5000, unit="ml", price=2999, trade=2249, stock=40, professional=True),
        ],
    ),
    dict(
        slug="warming-capsicum-gel",
        name="Warming Capsicum Gel",
        category="gels",
        summary="Non-greasy capsicum and ginger gel that builds a steady warmth in stiff muscles.",
        description=(
            "A quick-drying gel with capsicum, ginger, camphor and black pepper "
            "oil. It leaves no oily residue, and a steady warmth develops over "
            "the following minutes.\n\n"
            "Useful before exercise or a home stretching routine set by your "
            "physiotherapist, and for stiff backs on cold days. Therapists sometimes apply it after a session "
            "so clients leave with a lasting warmth in the treated area."
        ),
        how_to_use=(
            "Apply a thin layer and rub in gently; do not add more if the "
            "warmth is slow to start. Wash your hands with soap straight after "
            "applying."
        ),
        ingredients=(
            "Aqua, Alcohol Denat., Glycerin, Capsicum Frutescens Fruit Extract, "
            "Zingiber Officinale (Ginger) Root Extract, Camphor, Piper Nigrum "
            "(Pepper) Fruit Oil, Carbomer, Sodium Hydroxide, Phenoxyethanol, "
            "Ethylhexylglycerin, Limonene"
        ),
        cautions=(
            "Not for sensitive, broken or recently shaved skin, and never use "
            "with heat packs or under tight bandages. Keep away from eyes and "
            "out of reach of children; seek advice in pregnancy."
        ),
        allergens=["fragrance-allergens"],
        suitable=["nut-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="tube",
        colours=("#B4472E", "#F0B28A"),
        variants=[
            dict(sku="GEL-CAP-0100", size="100 ml", amount=100, unit="ml", price=899, trade=669, stock=70, professional=False),
            dict(sku="GEL-CAP-0250", size="250 ml", amount=250, unit="ml", price=1799, trade=1349, stock=37, professional=False),
            dict(sku="GEL-CAP-0500", size="500 ml", amount=500, unit="ml", price=2999, trade=2249, stock=2, professional=True),
        ],
    ),
    dict(
        slug="aloe-vera-gel",
        name="Aloe Vera Gel",
        category="gels",
        summary="Pure-feeling aloe vera gel to cool and soothe skin that feels warm or tight after treatment.",
        description=(
            "A simple gel made mostly from aloe vera leaf juice, with no "
            "fragrance, colour or oils. It cools on contact and dries to a "
            "light, invisible finish.\n\n"
            "At home it is a useful after-sun and after-exercise gel, and it "
            "comforts skin that feels warm after vigorous massage. Practices "
            "use the 1 L pump to soothe the skin after treatments that leave it "
            "flushed."
        ),
        how_to_use=(
            "Smooth a generous layer over the skin and let it dry. Keep in a "
            "cool place; it feels even more refreshing from the fridge."
        ),
        ingredients=(
            "Aloe Barbadensis Leaf Juice, Glycerin, Carbomer, Sodium Hydroxide, "
            "Potassium Sorbate, Sodium Benzoate, Citric Acid"
        ),
        cautions=(
            "Patch test before first use. Not for deep or infected wounds or "
            "blistered burns."
        ),
        allergens=[],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="tube",
        colours=("#6FA37A", "#E2F2DF"),
        variants=[
            dict(sku="GEL-ALO-0100", size="100 ml", amount=100, unit="ml", price=599, trade=449, stock=95, professional=False),
            dict(sku="GEL-ALO-0250", size="250 ml", amount=250, unit="ml", price=1099, trade=819, stock=0, professional=False),
            dict(sku="GEL-ALO-1000", size="1 L", amount=1000, unit="ml", price=2999, trade=2249, stock=30, professional=True),
        ],
    ),
    dict(
        slug="glide-massage-gel",
        name="Glide Massage Gel",
        category="gels",
        summary="Water-based massage gel with a long, clean glide that rinses away without leaving oil on linen.",
        description=(
            "A light, water-based gel with a small amount of soybean oil for "
            "cushion. It gives a long, even glide without the greasy feel of "
            "an oil, and washes out of towels and couch covers easily.\n\n"
            "It suits light, rhythmic techniques such as effleurage over large "
            "areas, and treatments where the client needs to dress and leave "
            "straight afterwards. The 1 L and 5 L sizes cater for busy clinics."
        ),
        how_to_use=(
            "Pump a small amount onto the hands and spread over the area. If "
            "it starts to feel tacky, add a little more gel or a few drops of "
            "water."
        ),
        ingredients=(
            "Aqua, Glycerin, Glycine Soja (Soybean) Oil, Hydroxyethylcellulose, "
            "Polysorbate 20, Lecithin, Phenoxyethanol, Ethylhexylglycerin, "
            "Tocopherol"
        ),
        cautions=(
            "Contains soybean oil and soya lecithin: avoid with a soya allergy. "
            "Patch test before first use and do not apply to broken skin."
        ),
        allergens=["soya"],
        suitable=["nut-free", "fragrance-free", "vegan"],
        home_care=True,
        practice=True,
        featured=False,
        container="pump",
        colours=("#6E8FA6", "#E6EEF3"),
        variants=[
            dict(sku="GEL-GLD-0250", size="250 ml", amount=250, unit="ml", price=999, trade=749, stock=48, professional=False),
            dict(sku="GEL-GLD-1000", size="1 L", amount=1000, unit="ml", price=2999, trade=2249, stock=35, professional=True),
            dict(sku="GEL-GLD-5000", size="5 L", amount=5000, unit="ml", price=10999, trade=8249, stock=17, professional=True),
        ],
    ),
]
