"""The zones UK carriers price by, and the demo store's methods and rates. Data, loaded into the
delivery tables (by the demo loader and `flask --app wsgi shop seed-delivery`); the back office edits it there.
"""

# Every postcode area of Great Britain, Northern Ireland, the Isle of Man and the Channel Islands.
GB_AREAS = """AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH
EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN
NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW
UB W WA WC WD WF WN WR WS WV YO ZE""".split()


def _districts(area: str, first: int, last: int) -> list[str]:
    return [f"{area}{n}" for n in range(first, last + 1)]


HIGHLANDS_AND_ISLANDS = ["HS", "ZE", "KW", "IV", "PH", *_districts("PA", 20, 49), *_districts("PA", 60, 78),
                         *_districts("KA", 27, 28), *_districts("TR", 21, 25)]
NORTHERN_IRELAND = ["BT"]
ISLANDS_OFFSHORE = ["IM", "GY", "JE"]
# Areas wholly elsewhere; PA, KA and TR stay mainland except the districts listed above.
MAINLAND = [a for a in GB_AREAS if a not in {"HS", "ZE", "KW", "IV", "PH"}]

ZONES = [
    {"code": "mainland", "name": "Mainland Great Britain", "prefixes": MAINLAND},
    {"code": "highlands-islands", "name": "Highlands and Islands", "prefixes": HIGHLANDS_AND_ISLANDS},
    {"code": "northern-ireland", "name": "Northern Ireland", "prefixes": NORTHERN_IRELAND},
    {"code": "isle-of-man-channel-islands", "name": "Isle of Man and Channel Islands", "prefixes": ISLANDS_OFFSHORE},
]

# Rates: {zone code: [(up to grams, price in pence), ...]}. Royal Mail's bands stop at 5 kg here;
# heavier parcels (a 5 L tub is about 5.5 kg packed) go by courier, which takes nothing lighter.
METHODS = [
    {"code": "tracked-48", "name": "Royal Mail Tracked 48", "kind": "standard", "min_days": 2, "max_days": 3,
     "free_over_pence": 5000, "rates": {
         "mainland": [(1000, 495), (2000, 595), (5000, 795)],
         "highlands-islands": [(1000, 795), (2000, 995), (5000, 1395)],
         "northern-ireland": [(1000, 695), (2000, 895), (5000, 1195)],
         "isle-of-man-channel-islands": [(1000, 895), (2000, 1095), (5000, 1495)]}},
    {"code": "tracked-24", "name": "Royal Mail Tracked 24", "kind": "express", "min_days": 1, "max_days": 1,
     "rates": {
         "mainland": [(1000, 695), (2000, 795), (5000, 995)],
         "highlands-islands": [(1000, 1095), (2000, 1295), (5000, 1695)],
         "northern-ireland": [(1000, 895), (2000, 1095), (5000, 1395)],
         "isle-of-man-channel-islands": [(1000, 1095), (2000, 1295), (5000, 1695)]}},
    {"code": "courier", "name": "DPD courier", "kind": "courier", "min_days": 1, "max_days": 2,
     "min_weight_grams": 5000, "rates": {
         "mainland": [(15000, 1295), (30000, 1895)],
         "highlands-islands": [(15000, 2495), (30000, 3495)],
         "northern-ireland": [(15000, 1995), (30000, 2795)]}},
    {"code": "click-collect", "name": "Click & collect", "kind": "collection", "min_days": 2, "max_days": 2,
     "note": "Free: ready to collect in 2 working days", "rates": {}},
]
