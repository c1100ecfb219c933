"""Demo logins, one or more per role, all with the demo password."""

from accounts.models import User
from accounts.roles import Role
from areas.models import Community


def seed_users(context) -> None:
    """Create a user of every role in the first street and its first community."""
    township = context.made["townships"][0]
    community = Community.objects.filter(township=township).order_by("code").first()
    organization = context.made["organizations"][0]
    other_township = context.made["townships"][1]
    county = township.county
    people = [
        ("admin", "民政局 王建国", Role.COUNTY_ADMIN, {"is_staff": True, "is_superuser": True}),
        ("township", f"{township.name} 李秀兰", Role.TOWNSHIP_STAFF, {"township": township}),
        (
            "township2",
            f"{other_township.name} 赵海峰",
            Role.TOWNSHIP_STAFF,
            {"township": other_township},
        ),
        ("secretary", f"{community.name}书记 张丽华", Role.SECRETARY, {"community": community}),
        ("official", f"{county.name}委组织部 陈志强", Role.OFFICIAL, {"county": county}),
        (
            "contact",
            f"{organization.name} 刘桂芳",
            Role.ORG_CONTACT,
            {"organization": organization},
        ),
    ]
    if county.city_id:
        # A city's or a province's installation: a county's own administrator, the city's
        # official comparing its counties, and (province) the province's official.
        people += [
            ("countyadmin", f"{county.name}民政局 孙明", Role.COUNTY_ADMIN, {"county": county}),
            (
                "cityofficial",
                f"{county.city.name}民政局 周文",
                Role.OFFICIAL,
                {"city": county.city},
            ),
        ]
        if context.scale == "province":
            people.append(("provinceofficial", "省民政厅 吴立新", Role.OFFICIAL, {}))
    for username, name, role, extra in people:
        user = User(username=username, name=name, role=role, **extra)
        user.set_password(context.password)
        user.full_clean()
        user.save()
        context.logins.append((username, str(Role(role).label), name))


def login_lines(password: str) -> list[str]:
    """The demo logins as `seed_demo` prints them: username, role and name, one per line."""
    lines = [f"演示账号（密码均为 {password}）："]
    for user in User.objects.exclude(role="").order_by("pk"):
        lines.append(f"  {user.username:<12} {user.get_role_display():<10} {user.name}")
    return lines
