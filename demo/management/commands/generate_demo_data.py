"""Generate enterprises and cases at scale (load tests, demos), then rebuild the summary."""

from django.core.management.base import BaseCommand, CommandError

from dashboards.projection import summary_rebuild
from demo import city


class Command(BaseCommand):
    help = "生成大规模演示数据（企业、案件、事件、应付与支付），随后重建驾驶舱汇总。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enterprises", type=int, default=50_000)
        parser.add_argument("--cases", type=int, default=300_000)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="数据库已有真实案件时仍然生成（切勿用于生产库）"
        )

    def handle(self, *args, **options) -> None:
        if city.real_data_present() and not options["force"]:
            raise CommandError(
                "数据库中已有非生成的案件数据，拒绝生成。确认是测试库时请加 --force。"
            )
        totals = city.generate(
            enterprises=options["enterprises"],
            cases=options["cases"],
            months=options["months"],
            seed=options["seed"],
            say=self.stdout.write,
        )
        self.stdout.write(", ".join(f"{k}={v}" for k, v in totals.items()))
        result = summary_rebuild()
        self.stdout.write(f"summary rebuilt: facts={result['facts']} buckets={result['buckets']}")
