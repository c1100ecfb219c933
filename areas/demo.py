"""Demo cities, counties, townships, streets, communities and villages (fictional names).

County scale is one county (平安县, 990101) with no city above it, as a county's own
installation; city scale is a city (安宁市) of ten counties each like it; province scale is
fourteen cities of five counties each (codes under the fictional province 99).
"""

from areas.models import City, Community, County, Township

COUNTY_CODE = "990101"
COUNTY_NAMES = [
    "平安县",
    "永宁县",
    "长乐县",
    "安定县",
    "富平县",
    "宁远县",
    "和顺县",
    "清河县",
    "乐安县",
    "太和县",
]
CITY_NAMES = [
    "安宁市",
    "福山市",
    "云川市",
    "临江市",
    "金城市",
    "青州市",
    "河阳市",
    "东原市",
    "西岭市",
    "南屏市",
    "北川市",
    "丰泽市",
    "宝华市",
    "龙池市",
]
# Cities and counties per city at each scale (no city: a county's own installation).
LAYOUT = {"county": (0, 1), "city": (1, 10), "province": (14, 5)}

STREETS = ["城关", "东城", "西城", "南关", "北苑", "新华", "人民路", "建设"]
TOWNS = [
    "青山镇",
    "柳河镇",
    "石桥镇",
    "杏花乡",
    "双龙镇",
    "白沙乡",
    "红旗镇",
    "大营镇",
    "河西乡",
    "新立镇",
    "永安乡",
    "太平镇",
    "金沟镇",
    "三合乡",
    "长胜镇",
    "兴隆镇",
]
COMMUNITY_WORDS = [
    "幸福",
    "和平",
    "光明",
    "文化",
    "育才",
    "阳光",
    "康乐",
    "翠园",
    "惠民",
    "锦绣",
    "春晖",
    "丰泽",
    "朝阳",
    "友谊",
    "平安",
    "富民",
    "滨河",
    "花园",
    "振兴",
    "安居",
    "龙泉",
    "永盛",
    "景秀",
    "祥和",
    "兴华",
    "明珠",
    "银河",
    "海棠",
    "紫荆",
    "桂花",
]
VILLAGE_SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "孙",
    "马",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "宋",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
    "程",
    "曹",
]
VILLAGE_SUFFIXES = ["家村", "庄村", "家屯村", "家堡村", "家沟村", "家洼村", "营村", "家窑村"]


def _township_names(count: int) -> list[tuple[str, str]]:
    names = [(f"{street}街道", Township.Kind.STREET) for street in STREETS]
    names += [(town, Township.Kind.TOWNSHIP) for town in TOWNS]
    result = []
    for index in range(count):
        name, kind = names[index % len(names)]
        if index >= len(names):
            name = f"{name[:-2]}{index // len(names) + 1}{name[-2:]}"
        result.append((name, kind))
    return result


def _community_names(rng, kind: str, count: int) -> list[str]:
    if kind == Township.Kind.STREET:
        pool = [f"{word}社区" for word in COMMUNITY_WORDS]
    else:
        pool = [f"{surname}{suffix}" for surname in VILLAGE_SURNAMES for suffix in VILLAGE_SUFFIXES]
    rng.shuffle(pool)
    return pool[:count]


def _counties(context) -> list[County]:
    """The scale's cities and counties: 990101 平安县 first at every scale."""
    cities, per_city = LAYOUT[context.scale]
    if not cities:
        return [County.objects.create(name=COUNTY_NAMES[0], code=COUNTY_CODE)]
    counties = []
    for city_index in range(cities):
        city = City.objects.create(name=CITY_NAMES[city_index], code=f"99{city_index + 1:02d}00")
        for number in range(per_city):
            name = COUNTY_NAMES[(number + city_index) % len(COUNTY_NAMES)]
            code = f"{city.code[:4]}{number + 1:02d}"
            counties.append(County.objects.create(city=city, name=name, code=code))
    return counties


def seed_areas(context) -> None:
    """Create the counties' townships and their communities or villages, in bulk."""
    rng = context.rng
    sizes = context.sizes
    counties = _counties(context)
    per_county = sizes["townships"] // len(counties)
    names = _township_names(per_county)
    townships = [
        Township(county=county, name=name, kind=kind, code=f"{county.code}{index + 1:03d}")
        for county in counties
        for index, (name, kind) in enumerate(names)
    ]
    Township.objects.bulk_create(townships, batch_size=1000)
    townships = list(Township.objects.select_related("county").order_by("code"))
    communities = []
    for township in townships:
        kind = (
            Community.Kind.COMMUNITY
            if township.kind == Township.Kind.STREET
            else Community.Kind.VILLAGE
        )
        count = sizes["communities_per_township"] + rng.randint(-3, 3)
        office = "党群服务中心" if kind == Community.Kind.COMMUNITY else "村委会"
        for number, name in enumerate(_community_names(rng, township.kind, count), start=1):
            communities.append(
                Community(
                    township=township,
                    name=name,
                    kind=kind,
                    code=f"{township.code}{number:03d}",
                    address=f"{township.county.name}{township.name}{name}{office}",
                )
            )
    Community.objects.bulk_create(communities, batch_size=2000)
    context.made["townships"] = townships
    context.made["counties"] = counties
    context.summary.append(
        f"{len(counties)} 个县（市、区），{len(townships)} 个街道/乡镇，"
        f"{len(communities)} 个社区/村"
    )
