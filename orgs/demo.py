"""Demo ledger: organisations, people and memberships, with merges, inspections and listings.

The county scale follows the programme's figures (about 140 groups and 5,729 members). Rows are
generated in Python a chunk of whole organisations at a time and written with bulk_create, so
that the province scale (20,000 organisations, ~800,000 people, ~1,000,000 memberships) loads in
minutes without holding every instance in memory. Seed data writes no history rows.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from areas.models import Community, Township
from core.bulk import copy_create, insert_rows
from core.demo import loading
from core.identifiers import credit_code_check_char, id_number_check_char
from orgs.models import (
    AnnualInspection,
    Category,
    CreditListing,
    Membership,
    Merge,
    Organization,
    Person,
    ZombieFlag,
)
from orgs.services.oversight import (
    ZOMBIE_REASON_NO_MEMBERS,
    ZOMBIE_REASON_NOT_INSPECTED,
    in_ledger_language,
)

COUNTY_NAME = "平安县"
AREA_CODE = "990101"
CHUNK_ORGANIZATIONS = 300
BATCH_SIZE = 2000


def _words(text: str) -> list[str]:
    return text.split()


# --- Phrase pools ---
# fmt: off
SURNAMES = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 "
    "石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵"
)
MALE_CHARS = _words(
    "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 旭 宁 龙 林 国 建 "
    "志 海 峰 文 德 成 福 祥 东 永 庆 兴 振 荣 宏 贵 生 胜 学 春 山 卫 忠 新 金 保 利 民 江 亮 博"
)
FEMALE_CHARS = _words(
    "芳 娜 敏 静 丽 艳 娟 霞 秀 英 玲 桂 兰 萍 红 梅 燕 琴 云 莲 凤 洁 琳 婷 雪 慧 颖 倩 璐 佳 "
    "欣 怡 悦 雯 晶 月 美 玉 珍 淑 素 翠 春 荣 爱 青 菊 芬 巧 丹 薇 蓉"
)
CATEGORIES = ["文体娱乐类", "生活服务类", "公益慈善类", "居民自治类", "专业服务类", "平安志愿类"]
CATEGORY_WEIGHTS = [34, 15, 18, 12, 11, 10]
KINDS = {
    "文体娱乐类": _words("书画协会 广场舞队 合唱团 太极拳协会 秧歌队 模特队 戏曲社 乒乓球协会 "
                    "门球队 摄影协会 读书会 健身操队 葫芦丝队 象棋协会 民乐团 腰鼓队 柔力球队 "
                    "舞蹈队"),
    "生活服务类": _words("邻里互助会 应急维修队 爱心理发队 家政服务队 助餐服务队 便民服务队 "
                    "日间照料服务队 托育互助会 家电维修队"),
    "公益慈善类": _words("老年志愿服务队 爱心帮扶协会 关爱留守儿童志愿队 助残志愿服务队 "
                    "爱心妈妈志愿队 环保志愿队 健康义诊队 慈善互助会 巾帼志愿服务队 "
                    "青年志愿者协会"),
    "居民自治类": _words("红白理事会 居民议事会 业主互助会 楼栋自治小组 道德评议会 "
                    "乡贤理事会 邻里和事佬协会 环境卫生监督队"),
    "专业服务类": _words("法律服务志愿队 家长学校 心理咨询服务队 矛盾纠纷调解队 科普志愿队 "
                    "助学辅导队 电商服务协会 农技服务队 退役军人服务队"),
    "平安志愿类": _words("义务巡逻队 治安巡逻队 平安志愿者协会 消防志愿队 禁毒宣传队 "
                    "反诈宣传队 交通劝导队 护河志愿队 夜间巡防队"),
}
# The first community shows a bit of everything to the secretary's and the contact's logins.
SHOWCASE_KINDS = _words("广场舞队 老年志愿服务队 邻里互助会 义务巡逻队 合唱团 红白理事会 "
                        "家长学校 健康义诊队")
# (survivor kind, kinds of the small groups merged into it, category)
MERGE_TEMPLATES = [
    ("书画协会", ["书法小组", "国画兴趣班", "老年书画社"], "文体娱乐类"),
    ("文艺队", ["广场舞一队", "广场舞二队"], "文体娱乐类"),
    ("志愿服务协会", ["爱心志愿队", "助老志愿小组"], "公益慈善类"),
]
MERGE_REASON = "同类社团规模小、活动分散，经协商兼并整合为一个协会，统一管理、统一活动"
ACTIVITY_FIELDS = {
    "文体娱乐类": ["书法绘画创作与展览", "广场舞排练与演出", "群众文艺演出", "全民健身活动",
              "传统戏曲传承", "节庆文艺汇演", "青少年兴趣培训", "阅读推广"],
    "生活服务类": ["邻里互助与便民服务", "家电及水电应急维修", "老年助餐", "居家养老上门服务",
              "便民理发", "家政技能培训"],
    "公益慈善类": ["关爱空巢老人", "关爱留守儿童", "扶贫济困", "助残服务", "环境保护宣传",
              "健康义诊与健康讲座", "爱心捐赠"],
    "居民自治类": ["移风易俗、红白事简办", "居民议事协商", "小区环境整治", "楼栋自治管理",
              "邻里纠纷调解", "村规民约宣传"],
    "专业服务类": ["法律咨询与普法宣传", "家庭教育指导", "心理疏导", "矛盾纠纷调解", "科学普及",
              "课业辅导", "电商技能培训", "农业技术指导"],
    "平安志愿类": ["治安巡逻", "消防安全宣传", "禁毒宣传", "反电信诈骗宣传", "交通安全劝导",
              "河道巡护", "重点时段巡防"],
}
RESOURCES = [
    "骨干成员有十年以上相关经验", "有固定活动场地（党群服务中心活动室）",
    "成员中有退休教师、医生等专业人才", "与辖区学校、卫生院建立了合作关系",
    "有自购的音响、服装等设备", "获得街道公益创投项目资助", "成员覆盖辖区多个小区，动员能力强",
    "与辖区物业公司、商户关系良好", "有一支稳定的志愿者队伍", "与县级同类协会建立了指导关系",
]
NEEDS = [
    "缺少固定活动场地，希望社区开放活动室", "需要专业老师指导培训",
    "活动经费不足，希望争取公益创投支持", "需要更新音响、服装等设备", "希望与其他社团联合开展活动",
    "需要宣传渠道，扩大影响力", "成员年龄偏大，需要吸引年轻人加入",
    "希望获得财务、法律方面的规范化指导", "需要为志愿者购买意外保险",
]
OPERATING_MECHANISMS = [
    "每周固定活动两次，每月召开一次骨干会议", "制定章程，实行会员制，民主选举负责人",
    "按季度制定活动计划，报社区备案", "活动经费由会员自筹与社区支持相结合",
    "建立微信群日常联络，分片包干开展服务", "实行志愿服务积分制，年底评选优秀志愿者",
    "负责人每年向会员大会报告工作和财务情况",
]
BOTTLENECKS = [
    "活动场地不稳定", "经费来源单一", "骨干力量老化，后继乏人", "专业能力不足", "管理制度不健全",
    "成员流动性大", "与社区的联动机制尚不完善", "宣传不足，群众知晓率低",
]
SPECIAL_TEAMS = _words("公益服务队 应急维修队 治安巡逻队 文艺宣传队 助老服务队 环境整治队 "
                       "理论宣讲队")
SUPERVISING_UNITS = {
    "文体娱乐类": ["平安县文化和旅游局", "平安县体育事业发展中心"],
    "生活服务类": ["平安县民政局", "平安县商务局"],
    "公益慈善类": ["平安县民政局", "共青团平安县委员会", "平安县妇女联合会"],
    "居民自治类": ["平安县民政局"],
    "专业服务类": ["平安县司法局", "平安县教育局", "平安县卫生健康局", "平安县科学技术协会"],
    "平安志愿类": ["平安县公安局", "中共平安县委政法委员会"],
}
PLACES = {
    Community.Kind.COMMUNITY: ["党群服务中心", "居民活动中心", "文化活动室", "老年活动中心"],
    Community.Kind.VILLAGE: ["村委会", "文化大院", "村民活动广场", "农家书屋"],
}
LISTING_REASONS = ["未按规定参加年度检查", "通过登记的住所无法与其取得联系",
                   "未按规定报送年度工作报告", "未按规定设立党组织"]
LEFT_REASONS = ["搬离本社区", "身体原因", "工作繁忙", "个人原因退出", "随子女外地生活"]
# fmt: on

# Common surnames are far more common: weight by rank.
SURNAME_WEIGHTS = list(itertools.accumulate(1 / (rank + 4) for rank in range(len(SURNAMES))))
CATEGORY_OF_KIND = {kind: category for category, kinds in KINDS.items() for kind in kinds}
GRID_ROLES = list(Person.GridRole)
GRID_ROLE_WEIGHTS = [40, 35, 10, 15]
CONCLUSIONS = list(AnnualInspection.Conclusion)
CONCLUSION_WEIGHTS = [75, 12, 5, 8]
INSPECTION_NOTES = {
    AnnualInspection.Conclusion.BASICALLY_PASSED: "年度工作报告内容不完整，已要求补正",
    AnnualInspection.Conclusion.FAILED: "财务制度不健全，未按期整改",
}
LEGAL_FORM_CODES = {
    Organization.LegalForm.SOCIAL_GROUP: "1",
    Organization.LegalForm.SERVICE_INSTITUTION: "2",
    Organization.LegalForm.FOUNDATION: "3",
}
GRADES = list(Organization.Grade)
GRADE_WEIGHTS = [5, 15, 40, 30, 10]
# The reasons of the open zombie flags (民发〔2021〕63号 criteria), as plan markers; the flags
# store the reason's text (`_LedgerWriter.zombie_reason`), as the zombie scan does.
NO_CURRENT_MEMBERS = "no_current_members"
NO_INSPECTION_TWO_YEARS = "no_inspection_two_years"


@dataclass
class _Plan:
    """One organisation to build: where, what, how big, and its part in a merge or a flag."""

    community: Community
    kind: str
    category: str
    name: str
    registration: str
    members: int
    zombie: str = ""


@dataclass
class _Group:
    """Organisations built together: one, or a merge's survivor followed by the merged ones."""

    plans: list[_Plan]
    merged_on: date | None = None


@dataclass
class _Chunk:
    """The rows of one chunk, written in dependency order."""

    organizations: list[Organization] = field(default_factory=list)
    merged: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # (organisation, new person or the pk of an earlier one, fields): made rows once both exist
    memberships: list[tuple] = field(default_factory=list)
    inspections: list[AnnualInspection] = field(default_factory=list)
    listings: list[CreditListing] = field(default_factory=list)
    flags: list[ZombieFlag] = field(default_factory=list)


class _Planner:
    """Decide which organisations exist where, before any row is written."""

    def __init__(self, context):
        self.rng = context.rng
        self.sizes = context.sizes
        mean = self.sizes["current_memberships"] / self.sizes["organizations"]
        self.mode = min(80, max(15, 3 * mean - 95))  # mean of triangular(15, 80, mode)
        self.kinds_used: dict[int, list[str]] = defaultdict(list)

    def members(self) -> int:
        return round(self.rng.triangular(15, 80, self.mode))

    def registration(self) -> str:
        return self.rng.choices(list(Organization.RegistrationStatus), weights=[17, 70, 13])[0]

    def name(self, community: Community, kind: str) -> str:
        township = community.township
        if township.kind == Township.Kind.TOWNSHIP and self.rng.random() < 0.2:
            return f"{township.name}{community.name}{kind}"
        return f"{community.name}{kind}"

    def single(self, community: Community, kind: str | None = None) -> _Group:
        used = self.kinds_used[community.pk]
        if kind is None:
            category = self.rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
            choices = [k for k in KINDS[category] if k not in used] or KINDS[category]
            kind = self.rng.choice(choices)
        used.append(kind)
        plan = _Plan(
            community=community,
            kind=kind,
            category=CATEGORY_OF_KIND[kind],
            name=self.name(community, kind),
            registration=self.registration(),
            members=self.members(),
        )
        return _Group([plan])

    def merge(self, community: Community, template, today: date) -> _Group:
        survivor_kind, merged_kinds, category = template
        self.kinds_used[community.pk].extend([survivor_kind, *merged_kinds])
        survivor = _Plan(
            community=community,
            kind=survivor_kind,
            category=category,
            name=f"{community.name}{survivor_kind}",
            registration=Organization.RegistrationStatus.REGISTERED,
            members=self.rng.randint(15, 35),
        )
        merged = [
            _Plan(
                community=community,
                kind=kind,
                category=category,
                name=f"{community.name}{kind}",
                registration=Organization.RegistrationStatus.FILED,
                members=self.rng.randint(8, 18),
            )
            for kind in merged_kinds
        ]
        merged_on = today - timedelta(days=self.rng.randint(60, 540))
        return _Group([survivor, *merged], merged_on=merged_on)

    def plan(self, communities: list[Community], first_township: Township, today) -> list[_Group]:
        """Plan every organisation: a rich first street, then the rest spread out."""
        rng = self.rng
        street = [c for c in communities if c.township_id == first_township.pk]
        others = [c for c in communities if c.township_id != first_township.pk] or street
        groups = [self.merge(street[0], MERGE_TEMPLATES[0], today)]
        groups += [self.single(street[0], kind) for kind in SHOWCASE_KINDS]
        if len(street) > 1:
            groups.append(self.merge(street[1], MERGE_TEMPLATES[1], today))
        groups += [self.single(community) for community in street[1:] for _ in range(2)]

        weights = list(
            itertools.accumulate(3 if c.kind == Community.Kind.COMMUNITY else 1 for c in others)
        )
        target = self.sizes["organizations"]
        for community in rng.choices(others, cum_weights=weights, k=max(0, target // 70 - 2)):
            groups.append(self.merge(community, rng.choice(MERGE_TEMPLATES), today))
        remaining = target - sum(len(group.plans) for group in groups)
        spread = rng.choices(others, cum_weights=weights, k=max(0, remaining))
        spread.sort(key=lambda community: community.code)
        singles = [self.single(community) for community in spread]
        self._flag_zombies(singles)
        return groups + singles

    def _flag_zombies(self, singles: list[_Group]) -> None:
        """Pick a few groups with no members left and a few registered ones that skip 年检."""
        count = max(2, len(singles) // 60)
        for group in self.rng.sample(singles, min(count, len(singles))):
            group.plans[0].zombie = NO_CURRENT_MEMBERS
        registered = [
            group
            for group in singles
            if group.plans[0].registration == Organization.RegistrationStatus.REGISTERED
            and not group.plans[0].zombie
        ]
        for group in self.rng.sample(registered, min(max(1, count // 2), len(registered))):
            group.plans[0].zombie = NO_INSPECTION_TWO_YEARS


class _LedgerWriter:
    """Build and write the rows of each chunk of planned organisations."""

    def __init__(self, context, categories: dict[str, Category], communities, today: date):
        self.rng = context.rng
        self.today = today
        self.categories = categories
        self.by_township: dict[int, list[Community]] = defaultdict(list)
        for community in communities:
            self.by_township[community.township_id].append(community)
        self.earlier_people: dict[int, list[int]] = defaultdict(list)
        self.used_ids: set[int] = set()
        self.credit_serial = 0
        self.reuse = 0.0
        self.counts: Counter = Counter()
        self.merges: list[dict] = []
        self.showcase: list[Organization] = []
        last_year = today.year - 1 if today >= date(today.year, 3, 1) else today.year - 2
        self.inspection_years = [last_year - 1, last_year]

    # --- dates ---

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def founded_on(self, latest: date) -> date:
        days_back = int(self.rng.triangular(0, 365 * 17, 365 * 4))
        return latest - timedelta(days=days_back)

    # --- people ---

    def person(self, community: Community, *, with_mobile: bool = False) -> Person:
        rng = self.rng
        male = rng.random() < 0.42
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        surname = rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
        year = min(2005, int(rng.triangular(1940, 2006, 1960)))
        born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        id_number = self.id_number(born, male) if rng.random() < 0.92 else ""
        mobile = ""
        if with_mobile or rng.random() < 0.88:
            mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        home = community
        if rng.random() < 0.15:
            home = rng.choice(self.by_township[community.township_id])
        person = Person(
            name=surname + given,
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            id_number=id_number,
            birth_date=born if id_number or rng.random() < 0.5 else None,
            mobile=mobile,
            community_id=home.pk,
        )
        if rng.random() < 0.08:
            person.is_party_member = True
            full = rng.random() < 0.9
            person.party_status = (
                Person.PartyStatus.FULL if full else Person.PartyStatus.PROBATIONARY
            )
            person.party_relation_place = rng.choice(
                [f"{home.name}党支部", f"{home.township.name}机关党支部", "平安县退休干部党支部"]
            )
        if rng.random() < 0.04:
            person.grid_role = rng.choices(GRID_ROLES, weights=GRID_ROLE_WEIGHTS)[0]
            person.grid_community_id = home.pk
        self.counts["people"] += 1
        return person

    def id_number(self, born: date, male: bool) -> str:
        """Return a unique valid ID number whose 17th digit gives the gender."""
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            key = born.toordinal() * 1000 + sequence
            if key not in self.used_ids:
                break
        self.used_ids.add(key)
        first17 = f"{AREA_CODE}{born:%Y%m%d}{sequence:03d}"
        return first17 + id_number_check_char(first17)

    def member(self, community: Community, taken: set[int], chunk_people: dict) -> Person | int:
        """Return a new person or, now and then, one already in another group of the township.

        `taken` holds who is already in the organisation: the pk of a person of an earlier chunk,
        or id() of a person not yet saved (object ids are far above any pk).
        """
        township_id = community.township_id
        if self.rng.random() < self.reuse:
            earlier = self.earlier_people[township_id]
            current = chunk_people[township_id]
            total = len(earlier) + len(current)
            for _ in range(3 if total else 0):
                index = self.rng.randrange(total)
                if index < len(earlier):
                    ref, key = earlier[index], earlier[index]
                else:
                    ref = current[index - len(earlier)]
                    key = id(ref)
                if key not in taken:
                    taken.add(key)
                    return ref
        person = self.person(community)
        chunk_people[township_id].append(person)
        taken.add(id(person))
        return person

    # --- organisations ---

    def credit_code(self, legal_form: str) -> str:
        self.credit_serial += 1
        first17 = f"5{LEGAL_FORM_CODES[legal_form]}{AREA_CODE}MJ{self.credit_serial:07d}"
        return first17 + credit_code_check_char(first17)

    def organization(self, plan: _Plan, latest_founding: date) -> Organization:
        rng = self.rng
        community = plan.community
        township = community.township
        founded = self.founded_on(latest_founding)
        org = Organization(
            name=plan.name,
            short_name=plan.kind,
            registration_status=plan.registration,
            category=self.categories[plan.category],
            community=community,
            address=f"{COUNTY_NAME}{township.name}{community.name}"
            f"{rng.choice(PLACES[community.kind])}",
            founded_on=founded,
            activity_fields="；".join(rng.sample(ACTIVITY_FIELDS[plan.category], 2)),
            resources="；".join(rng.sample(RESOURCES, rng.randint(1, 3))),
            needs="；".join(rng.sample(NEEDS, rng.randint(1, 3))),
            operating_mechanism="；".join(rng.sample(OPERATING_MECHANISMS, 2)),
            bottlenecks="；".join(rng.sample(BOTTLENECKS, rng.randint(1, 2))),
        )
        if plan.registration != Organization.RegistrationStatus.UNREGISTERED:
            org.registered_on = self.between(
                founded, min(founded + timedelta(days=400), latest_founding)
            )
        if plan.registration == Organization.RegistrationStatus.REGISTERED:
            org.legal_form = rng.choices(list(LEGAL_FORM_CODES), weights=[75, 22, 3])[0]
            org.credit_code = self.credit_code(org.legal_form)
            org.registration_authority = f"{COUNTY_NAME}民政局"
            org.supervising_unit = rng.choice(SUPERVISING_UNITS[plan.category])
        elif plan.registration == Organization.RegistrationStatus.FILED:
            office = "办事处" if township.kind == Township.Kind.STREET else "人民政府"
            org.registration_authority = f"{township.name}{office}"
            committee = "居民委员会" if community.kind == Community.Kind.COMMUNITY else "村民委员会"
            org.supervising_unit = f"{community.name}{committee}"
        registered = plan.registration == Organization.RegistrationStatus.REGISTERED
        org.in_party_alliance = rng.random() < (0.6 if registered else 0.36)
        if rng.random() < (0.35 if registered else 0.05) and org.registered_on:
            awarded = self.between(
                org.registered_on + timedelta(days=365), self.today - timedelta(days=30)
            )
            if awarded < self.today:
                org.grade = rng.choices(GRADES, weights=GRADE_WEIGHTS)[0]
                org.grade_awarded_on = awarded
        if rng.random() < 0.93:
            org.last_verified_on = self.today - timedelta(days=rng.randint(0, 364))
        if plan.members >= 60 and rng.random() < 0.8:
            teams = rng.sample(SPECIAL_TEAMS, rng.randint(1, 2))
            org.special_teams = "；".join(f"{team}（{rng.randint(8, 20)}人）" for team in teams)
        return org

    def membership(self, org, ref, **fields) -> tuple:
        return (org, ref, fields)

    def members(self, chunk, org, plan, chunk_people, *, until: date, taken: set[int]) -> list:
        """Add past memberships; return (person, role, joined on) of the members at `until`."""
        rng = self.rng
        founded = org.founded_on
        leader = self.person(plan.community, with_mobile=True)
        chunk_people[plan.community.township_id].append(leader)
        taken.add(id(leader))
        org.leader_name, org.leader_phone = leader.name, leader.mobile
        if plan.zombie == NO_CURRENT_MEMBERS:
            # Everyone, the founder too, left at least a year ago.
            until = self.between(founded + timedelta(days=90), self.today - timedelta(days=365))
            chunk.memberships.append(
                self.membership(
                    org,
                    leader,
                    role=Membership.Role.LEADER,
                    joined_on=founded,
                    left_on=until,
                    left_reason=rng.choice(LEFT_REASONS),
                )
            )
            self.past_members(chunk, org, plan, chunk_people, rng.randint(5, 12), until, taken)
            return []
        current = [(leader, Membership.Role.LEADER, founded)]
        deputies = rng.randint(1, 2)
        for index in range(1, plan.members):
            role = Membership.Role.MEMBER
            if index <= deputies:
                role = Membership.Role.DEPUTY
            elif rng.random() < 0.12:
                role = Membership.Role.CORE
            ref = self.member(plan.community, taken, chunk_people)
            current.append((ref, role, self.between(founded, until - timedelta(days=7))))
        past = sum(rng.random() < 0.05 for _ in range(plan.members))
        self.past_members(chunk, org, plan, chunk_people, past, until, taken)
        return current

    def past_members(self, chunk, org, plan, chunk_people, count, until, taken) -> None:
        """Add `count` members who joined after the founding and left before `until`."""
        for _ in range(count):
            ref = self.member(plan.community, taken, chunk_people)
            joined = self.between(org.founded_on, until - timedelta(days=60))
            left = self.between(joined + timedelta(days=30), until - timedelta(days=1))
            chunk.memberships.append(
                self.membership(
                    org,
                    ref,
                    joined_on=joined,
                    left_on=left,
                    left_reason=self.rng.choice(LEFT_REASONS),
                )
            )

    def write_group(self, chunk: _Chunk, group: _Group, chunk_people) -> None:
        """Build one group; for a merge, move the merged groups' members to the survivor."""
        survivor_plan, *merged_plans = group.plans
        latest = self.today - timedelta(days=200)
        if group.merged_on:
            latest = group.merged_on - timedelta(days=200)
        if survivor_plan.zombie == NO_INSPECTION_TWO_YEARS:
            latest = date(self.inspection_years[0] - 2, 6, 30)
        survivor = self.organization(survivor_plan, latest)
        survivor_taken: set[int] = set()
        current = self.members(
            chunk, survivor, survivor_plan, chunk_people, until=self.today, taken=survivor_taken
        )
        chunk.organizations.append(survivor)
        moved = 0
        merged_names = []
        for plan in merged_plans:
            org = self.organization(plan, group.merged_on - timedelta(days=365))
            org.status = Organization.Status.MERGED
            org.status_changed_on = group.merged_on
            org.merged_into = survivor
            taken: set[int] = set()
            reason = f"社团合并，转入{survivor.name}"
            for ref, role, joined in self.members(
                chunk, org, plan, chunk_people, until=group.merged_on, taken=taken
            ):
                chunk.memberships.append(
                    self.membership(
                        org,
                        ref,
                        role=role,
                        joined_on=joined,
                        left_on=group.merged_on,
                        left_reason=reason,
                    )
                )
                key = ref if isinstance(ref, int) else id(ref)
                if key in survivor_taken:
                    continue
                survivor_taken.add(key)
                moved += 1
                new_role = Membership.Role.MEMBER
                if role in {Membership.Role.LEADER, Membership.Role.DEPUTY}:
                    new_role = Membership.Role.CORE
                current.append((ref, new_role, group.merged_on))
            chunk.merged.append(org)
            merged_names.append(org.name)
        for ref, role, joined in current:
            chunk.memberships.append(self.membership(survivor, ref, role=role, joined_on=joined))
        if merged_plans:
            self.merges.append(
                {
                    "survivor": survivor,
                    "merged": chunk.merged[-len(merged_plans) :],
                    "merged_on": group.merged_on,
                    "summary": {"memberships_moved": moved, "merged": merged_names},
                }
            )
        self.counts["current"] += len(current)
        self.oversight(chunk, survivor, survivor_plan)

    def zombie_reason(self, code: str) -> str:
        """The reason's text as the zombie scan stores it (the ledger's language)."""
        if code == NO_CURRENT_MEMBERS:
            return in_ledger_language(ZOMBIE_REASON_NO_MEMBERS)
        first, second = self.inspection_years
        return in_ledger_language(ZOMBIE_REASON_NOT_INSPECTED, first=first, second=second)

    def oversight(self, chunk: _Chunk, org: Organization, plan: _Plan) -> None:
        """Add annual inspections and credit listings (registered groups) and a zombie flag."""
        rng = self.rng
        if plan.zombie:
            chunk.flags.append(
                ZombieFlag(
                    organization=org,
                    reasons=[self.zombie_reason(plan.zombie)],
                    flagged_on=self.today - timedelta(days=rng.randint(1, 45)),
                )
            )
        if plan.registration != Organization.RegistrationStatus.REGISTERED:
            return
        for year in self.inspection_years:
            if org.registered_on.year > year:
                continue
            conclusion = rng.choices(CONCLUSIONS, weights=CONCLUSION_WEIGHTS)[0]
            if plan.zombie == NO_INSPECTION_TWO_YEARS:
                conclusion = AnnualInspection.Conclusion.NOT_INSPECTED
            inspected_on = None
            if conclusion != AnnualInspection.Conclusion.NOT_INSPECTED:
                inspected_on = min(
                    self.between(date(year + 1, 3, 1), date(year + 1, 6, 30)),
                    self.today - timedelta(days=1),
                )
            chunk.inspections.append(
                AnnualInspection(
                    organization=org,
                    year=year,
                    conclusion=conclusion,
                    inspected_on=inspected_on,
                    notes=INSPECTION_NOTES.get(conclusion, ""),
                )
            )
            failing = conclusion in {
                AnnualInspection.Conclusion.FAILED,
                AnnualInspection.Conclusion.NOT_INSPECTED,
            }
            if failing and (plan.zombie or rng.random() < 0.8):
                listed_on = self.between(date(year + 1, 7, 1), date(year + 1, 9, 30))
                self.listing(chunk, org, LISTING_REASONS[0], listed_on, removable=not plan.zombie)
        if not plan.zombie and rng.random() < 0.04:
            listed_on = self.today - timedelta(days=rng.randint(20, 700))
            self.listing(chunk, org, rng.choice(LISTING_REASONS[1:]), listed_on, removable=True)

    def listing(self, chunk, org, reason: str, listed_on: date, *, removable: bool) -> None:
        """Put the organisation on the abnormal list; some were removed after rectifying."""
        rng = self.rng
        yesterday = self.today - timedelta(days=1)
        listed_on = min(listed_on, yesterday)
        if chunk.listings and chunk.listings[-1].organization is org:
            return  # one listing per organisation is enough for the demo
        listing = CreditListing(
            organization=org,
            list_kind=CreditListing.Kind.ABNORMAL,
            reason=reason,
            needs_rectification=rng.random() < 0.6,
            listed_on=listed_on,
        )
        if removable and rng.random() < 0.5 and listed_on + timedelta(days=30) < yesterday:
            listing.removed_on = self.between(
                listed_on + timedelta(days=30), min(listed_on + timedelta(days=150), yesterday)
            )
            listing.removal_reason = "已按要求完成整改，经申请移出活动异常名录"
        chunk.listings.append(listing)

    def write(self, groups: list[_Group]) -> None:
        """Build one chunk of groups in memory and write it with bulk inserts."""
        chunk = _Chunk()
        chunk_people: dict[int, list[Person]] = defaultdict(list)
        for group in groups:
            self.write_group(chunk, group, chunk_people)
        if not self.showcase:
            self.showcase = chunk.organizations[: 1 + len(SHOWCASE_KINDS)]
        chunk.people = [person for people in chunk_people.values() for person in people]
        copy_create(Organization, chunk.organizations, batch_size=BATCH_SIZE)
        copy_create(Organization, chunk.merged, batch_size=BATCH_SIZE)
        copy_create(Person, chunk.people, batch_size=BATCH_SIZE)
        # Plain rows: nobody needs the memberships as objects (a million at province scale).
        insert_rows(
            Membership,
            ["organization", "person", "role", "joined_on", "left_on", "left_reason"],
            (
                (
                    org.pk,
                    ref if isinstance(ref, int) else ref.pk,
                    str(fields.get("role", Membership.Role.MEMBER)),
                    fields["joined_on"],
                    fields.get("left_on"),
                    fields.get("left_reason", ""),
                )
                for org, ref, fields in chunk.memberships
            ),
        )
        copy_create(AnnualInspection, chunk.inspections, batch_size=BATCH_SIZE)
        copy_create(CreditListing, chunk.listings, batch_size=BATCH_SIZE)
        copy_create(ZombieFlag, chunk.flags, batch_size=BATCH_SIZE)
        for township_id, people in chunk_people.items():
            self.earlier_people[township_id].extend(person.pk for person in people)
        self.counts["organizations"] += len(chunk.organizations) + len(chunk.merged)
        self.counts["memberships"] += len(chunk.memberships)
        self.counts["inspections"] += len(chunk.inspections)
        self.counts["listings"] += len(chunk.listings)
        self.counts["flags"] += len(chunk.flags)


def _categories() -> dict[str, Category]:
    """Return the default categories, creating those the database lacks."""
    existing = set(Category.objects.filter(name__in=CATEGORIES).values_list("name", flat=True))
    Category.objects.bulk_create(
        Category(name=name, sort_order=order)
        for order, name in enumerate(CATEGORIES, start=1)
        if name not in existing
    )
    return {category.name: category for category in Category.objects.filter(name__in=CATEGORIES)}


def _chunks(groups: list[_Group]):
    """Yield runs of whole groups of about CHUNK_ORGANIZATIONS organisations."""
    run, size = [], 0
    for group in groups:
        run.append(group)
        size += len(group.plans)
        if size >= CHUNK_ORGANIZATIONS:
            yield run
            run, size = [], 0
    if run:
        yield run


def seed_organizations(context) -> None:
    """Create the ledger: organisations, people, memberships, merges, inspections, listings."""
    today = timezone.localdate()
    communities = list(Community.objects.select_related("township").order_by("code"))
    groups = _Planner(context).plan(communities, context.made["townships"][0], today)
    writer = _LedgerWriter(context, _categories(), communities, today)
    slots = sum(plan.members * 1.05 for group in groups for plan in group.plans)
    writer.reuse = max(0.0, 1 - context.sizes["people"] / slots)
    loaded = (Organization, Person, Membership, AnnualInspection, CreditListing, ZombieFlag)
    with loading(context, *loaded):
        for run in _chunks(groups):
            writer.write(run)
    # The first is the 书画协会 of the first community, formed by a merge: the contact's group.
    context.made["organizations"] = writer.showcase
    context.made["demo_merges"] = [
        {
            "survivor_id": merge["survivor"].pk,
            "merged_ids": [org.pk for org in merge["merged"]],
            "merged_on": merge["merged_on"],
            "summary": merge["summary"],
        }
        for merge in writer.merges
    ]
    counts = writer.counts
    context.summary += [
        f"{counts['organizations']} 个社会组织（{len(CATEGORIES)} 个类别，"
        f"其中 {len(writer.merges)} 次社团合并）",
        f"{counts['people']} 名人员，{counts['memberships']} 条成员记录"
        f"（在册 {counts['current']} 条）",
        f"{counts['inspections']} 条年检记录，{counts['listings']} 条信用名录记录，"
        f"{counts['flags']} 个疑似僵尸社团待核查",
    ]


def seed_merges_and_keepers(context) -> None:
    """Record the demo merges (done by the county admin) and give the streets' staff their ledger.

    Runs after the demo users exist: a merge needs the user who performed it.
    """
    admin = User.objects.filter(role=Role.COUNTY_ADMIN).order_by("pk").first()
    planned = context.made.get("demo_merges", [])
    merges = Merge.objects.bulk_create(
        Merge(
            survivor_id=item["survivor_id"],
            merged_on=item["merged_on"],
            reason=MERGE_REASON,
            performed_by=admin,
            summary=item["summary"],
        )
        for item in planned
    )
    through = Merge.merged.through
    through.objects.bulk_create(
        (
            through(merge_id=merge.pk, organization_id=organization_id)
            for merge, item in zip(merges, planned, strict=True)
            for organization_id in item["merged_ids"]
        ),
        batch_size=BATCH_SIZE,
    )
    # Seed data has no history to keep: a plain update is enough here.
    for user in User.objects.filter(role=Role.TOWNSHIP_STAFF, township__isnull=False):
        Organization.objects.filter(community__township=user.township_id).update(ledger_keeper=user)
