"""The operator's traceability-catalog commands (``ecozone catalogs load|validate|sample``): the
starter catalogs published, a JSON Lines file of trace records validated with progress, sample
records to try it with. The work is in ecozone/catalogs/."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ecozone.experts.rules import PRODUCT_CATEGORIES as PRODUCT_CATEGORY_SLUGS


def _cli():
    from ecozone import cli  # here: ecozone.cli imports this module
    return cli


def cmd_catalogs_load(args: argparse.Namespace) -> int:
    cli = _cli()
    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.catalogs.service import load_catalogs
    outcome = asyncio.run(cli._in_operator_transaction(load_catalogs))
    for category, what in outcome.items():
        print(f"  {category:<16} {what}")
    loaded = sum(1 for what in outcome.values() if what == "loaded")
    print(f"{len(outcome)} catalogs: {loaded} loaded and published as version 1, "
          f"{len(outcome) - loaded} already present")
    return 0


def cmd_catalogs_sample(args: argparse.Namespace) -> int:
    """Sample trace records of a starter catalog, one JSON object per line, for trying validate."""
    cli = _cli()
    import json

    from ecozone.catalogs import samples, service
    indicators = service.starter_catalog(args.category)["indicators"]
    if not 0 <= args.invalid <= args.count:
        raise cli.CliError(f"--invalid must be between 0 and --count ({args.count}) / "
                       f"--invalid 必须在 0 到 --count（{args.count}）之间")
    step = args.count // args.invalid if args.invalid else 0
    planted = {step * i + step // 2 for i in range(args.invalid)}
    for n in range(args.count):
        record = samples.sample_record(indicators, args.category, n)
        if n in planted:  # not a real date, as the benchmark plants
            record["picking_date" if "picking_date" in record else "net_weight"] = "2026-02-30"
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_catalogs_validate(args: argparse.Namespace) -> int:
    cli = _cli()
    import json

    import ecozone.models  # noqa: F401 - every table, for the flush order
    from ecozone.catalogs.service import get_version, validator_of
    from ecozone.errors import DomainError
    try:
        version = asyncio.run(cli._in_operator_transaction(
            lambda s: get_version(s, args.category, args.version)))
    except DomainError as exc:
        raise cli.CliError(f"{exc.message_en} / {exc.message_zh}") from exc
    validate = validator_of(version).validate
    valid = invalid = 0
    first_errors: list[str] = []
    try:
        lines = open(args.file, encoding="utf-8")
    except OSError as exc:
        why = {2: "文件不存在", 13: "没有读取权限", 21: "这是一个目录"}.get(exc.errno, exc.strerror)
        raise cli.CliError(f"cannot read {args.file}: {exc.strerror} / 无法读取 {args.file}：{why}") from exc
    with lines:
        for line_no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                violations = [(v.path, v.message_en, v.message_zh) for v in validate(json.loads(line))]
            except json.JSONDecodeError as exc:
                violations = [("$", f"not JSON: {exc.msg}", f"不是有效的 JSON：{exc.msg}")]
            if violations:
                invalid += 1
                first_errors.extend(f"  line {line_no}: {p}: {en} / {zh}" for p, en, zh in violations
                                    if len(first_errors) < args.show)
            else:
                valid += 1
            if (valid + invalid) % args.every == 0:
                print(f"\r  {valid + invalid} records checked, {invalid} invalid", end="",
                      file=sys.stderr, flush=True)
    print(f"\r  {valid + invalid} records checked, {invalid} invalid", file=sys.stderr, flush=True)
    print(f"{args.category} catalog v{version.number}: {valid} valid, {invalid} invalid")
    if first_errors:
        print("first errors / 前几处错误:")
        print("\n".join(first_errors))
    return 1 if invalid else 0


def add_catalogs_commands(sub) -> None:
    catalogs = sub.add_parser("catalogs", help="traceability catalog commands").add_subparsers(
        dest="catalogs_command", required=True)
    p = catalogs.add_parser("load", help="publish version 1 of each category's starter catalog (idempotent)")
    p.set_defaults(func=cmd_catalogs_load)
    p = catalogs.add_parser("validate", help="validate a JSON Lines file of trace records; exit 1 if any is invalid")
    p.add_argument("file", help="one JSON record per line")
    p.add_argument("--category", required=True, choices=list(PRODUCT_CATEGORY_SLUGS),
                   help="the product category whose catalog the records follow", metavar="CATEGORY")
    p.add_argument("--version", type=int, default=None, help="catalog version (default: the published one)")
    p.add_argument("--every", type=int, default=1000, help="progress line every N records (stderr)")
    p.add_argument("--show", type=int, default=10, help="how many errors to list")
    p.set_defaults(func=cmd_catalogs_validate)
    p = catalogs.add_parser("sample", help="print sample trace records of a starter catalog (JSON Lines) "
                                           "to try `catalogs validate`")
    p.add_argument("category", choices=list(PRODUCT_CATEGORY_SLUGS), metavar="CATEGORY",
                   help=f"the product category: {', '.join(PRODUCT_CATEGORY_SLUGS)}")
    p.add_argument("--count", type=int, default=1000, help="how many records (default 1000)")
    p.add_argument("--invalid", type=int, default=0, help="how many of them carry an error (default 0)")
    p.set_defaults(func=cmd_catalogs_sample)
