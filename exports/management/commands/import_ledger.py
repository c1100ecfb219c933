"""Import a ledger workbook from the command line, with the checks of the upload page."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from exports.importing import commit, headers, safety
from exports.permissions import can_import

KNOWN_FIELDS = {field.key for fields in headers.FIELDS_BY_KIND.values() for field in fields}


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import organisations and members from an xlsx ledger (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--user",
            help="username of the county administrator or township staff importing "
            "(default: the first active county administrator)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="SHEET!COLUMN=FIELD",
            help="say what a column holds, recognised or not, e.g. 成员!F=mobile or "
            "社会组织!E=category (FIELD empty to ignore); overrides what was recognised",
        )

    def handle(self, *args, file, dry_run, user, map, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._run(Path(file), dry_run, user, map)

    def _actor(self, username):
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到用户 {username}")
        else:
            actor = (
                User.objects.filter(is_active=True, role=Role.COUNTY_ADMIN).order_by("pk").first()
            )
            if actor is None:
                raise CommandError("请用 --user 指定执行导入的县级管理员或街道（乡镇）工作人员账号")
        if not can_import(actor):
            raise CommandError(f"用户 {actor.username} 没有导入台账的权限")
        return actor

    def _mapping(self, entries):
        mapping: dict = {}
        for entry in entries:
            try:
                where, field = entry.split("=", 1)
                sheet, letter = where.rsplit("!", 1)
            except ValueError:
                raise CommandError(f"--map 格式应为 工作表!列=字段，收到 {entry}") from None
            field = field.strip()
            if field and field not in KNOWN_FIELDS:
                raise CommandError(
                    f"--map 的字段“{field}”不存在，可用：{'、'.join(sorted(KNOWN_FIELDS))}"
                )
            columns = mapping.setdefault(sheet, {})
            taken = [other for other, key in columns.items() if field and key == field]
            if taken:
                raise CommandError(f"--map 把字段 {field} 指定给了多列（{taken[0]}、{letter}）")
            columns[letter.strip().upper()] = field
        return mapping

    def _run(self, path: Path, dry_run: bool, username, map_entries):
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = self._actor(username)
        mapping = self._mapping(map_entries)
        with path.open("rb") as stream:
            try:
                safety.check_upload(path.name, stream, path.stat().st_size)
            except safety.UploadRefused as refused:
                raise CommandError(refused.message) from None
            try:
                with transaction.atomic():
                    sheets, plan = commit.build_plan(actor=actor, stream=stream, mapping=mapping)
                    for sheet in sheets:
                        for column in sheet.columns:
                            if not column["field"] and column["letter"] not in mapping.get(
                                sheet.title, {}
                            ):
                                self.stderr.write(
                                    f"提示：工作表“{sheet.title}”{column['letter']}列"
                                    f"“{column['header']}”未识别，已忽略（可用 --map 指定）"
                                )
                    for warning in plan.warnings:
                        self.stderr.write(f"提示：{warning}")
                    if plan.errors:
                        for error in plan.errors:
                            self.stderr.write(str(error))
                        raise CommandError(f"共 {len(plan.errors)} 处错误，未导入任何数据。")
                    summary = commit.execute_plan(actor=actor, plan=plan)
                    self._report(summary, dry_run)
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                pass

    def _report(self, summary: dict, dry_run: bool):
        orgs, members = summary["organizations"], summary["members"]
        prefix = "检查通过（未写入）：" if dry_run else "导入完成："
        self.stdout.write(
            f"{prefix}共 {summary['rows']} 行；社会组织新建 {orgs['create']}、更新 "
            f"{orgs['update']}、无变化 {orgs['unchanged']}；成员新增 {members['create']}、"
            f"已有 {members['unchanged']}。"
        )
