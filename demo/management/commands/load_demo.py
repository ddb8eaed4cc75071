import time

from django.core.management.base import BaseCommand

from demo.cases import demo_cases_load, demo_proposal_load
from demo.city import CITY_CASES, CITY_ENTERPRISES, demo_city_load
from demo.enterprises import demo_enterprises_load
from demo.services import DEMO_PASSWORD, demo_users_load, demo_windows_open


class Command(BaseCommand):
    help = (
        "载入演示数据：每个角色一个账号、几家手工企业和案件，以及一座“演示城市”"
        "（全部区县、政策和状态的数千个生成案件）。可重复执行，不产生重复数据。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cases", type=int, default=CITY_CASES, help="演示城市的生成案件数（0：不生成）"
        )
        parser.add_argument("--enterprises", type=int, default=CITY_ENTERPRISES)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()

        def step(text: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:5.1f} 秒] {text}")

        loaded = demo_users_load()
        step(f"演示账号 {len(loaded)} 个")
        enterprises = demo_enterprises_load()
        step(f"演示企业 {len(enterprises)} 家")
        opened = demo_windows_open()
        step(f"演示申报批次 {len(opened)} 个条款")
        cases = demo_cases_load()
        step(f"手工演示案件新建 {len(cases)} 件")
        proposal = demo_proposal_load()
        step("免申即享待确认 1 件（qiye）" if proposal else "免申即享演示事项已存在")
        city = None
        if options["cases"] > 0:
            city = demo_city_load(
                enterprises=options["enterprises"],
                cases=options["cases"],
                say=lambda text: step(f"演示城市：{text}"),
            )
            step(
                "演示城市已存在，未重复生成"
                if city is None
                else f"演示城市：案件 {city['cases']} 件，时间线记录 {city['events']} 条，"
                f"应付款 {city['payables']} 笔，拨付份额 {city['shares']} 笔，驾驶舱已重建，"
                f"到期提醒 {city['reminded']} 条"
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for login, user in loaded:
            self.stdout.write(f"  {login.username:<12} {user.get_role_display():<10} {login.name}")
        self.stdout.write("")
        if opened:
            self.stdout.write(
                f"演示：已为郑政文〔2022〕155号 {len(opened)} 个条款开设演示申报批次（今天前30天至后90天）；"
                "政策原文的申报时间和有效期不变，页面上注明为演示数据。"
            )
        if cases:
            self.stdout.write(
                f"演示案件 {len(cases)} 件（待初审、退回补正、市级复审、拟支持、公示中、"
                "公示期满待办结、已确定）。"
            )
        self.stdout.write(f"载入演示数据用时 {time.monotonic() - started:.1f} 秒。")
