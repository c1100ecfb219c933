"""The demo ledger's phrase pools, weights and sizes."""

from __future__ import annotations

import itertools

from areas.models import Community
from orgs.models import (
    AnnualInspection,
    Organization,
    Person,
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
