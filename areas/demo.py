"""Demo townships, streets, communities and villages of a fictional county (平安县)."""

from areas.models import Community, Township

COUNTY_CODE = "990101"

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


def _township_code(index: int) -> str:
    """9 digits: the county's 6 and a 3-digit serial; past 999 townships (province scale)
    the next county code takes over, so every code stays 9 digits."""
    county, serial = divmod(index, 999)
    return f"{int(COUNTY_CODE) + county}{serial + 1:03d}"


def seed_areas(context) -> None:
    """Create the county's townships and their communities or villages, in bulk."""
    rng = context.rng
    sizes = context.sizes
    townships = [
        Township(name=name, kind=kind, code=_township_code(index))
        for index, (name, kind) in enumerate(_township_names(sizes["townships"]))
    ]
    Township.objects.bulk_create(townships, batch_size=1000)
    townships = list(Township.objects.order_by("code"))
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
                    address=f"平安县{township.name}{name}{office}",
                )
            )
    Community.objects.bulk_create(communities, batch_size=2000)
    context.made["townships"] = townships
    context.summary.append(f"{len(townships)} 个街道/乡镇，{len(communities)} 个社区/村")
