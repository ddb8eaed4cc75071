"""Simulated users of the portal (started by ``bench/loadtest/run.py``; not for direct use).

Each simulated person logs in through the login page with its own account and then, with a
think time of ``LOADTEST_WAIT`` seconds ("min,max") between actions:

- enterprises browse (home, policy library, a clause, the calculator, their cases) and apply
  under 155号第5条 through the API: create, upload the materials, submit;
- district and city reviewers open their queue and work a case: claim, pass every check,
  approve at the engine's ceiling;
- finance officers (city and district bureaus) put due shares in a batch (API) and mark them
  paid on the batch page, which sends them through the re-authentication page once every
  ``PORTAL_REAUTH_SECONDS`` and back through its "continue" page.

Every write the server acknowledged is appended to ``LOADTEST_ACKS`` (JSON lines) for the
database check; every request's time goes to ``LOADTEST_SAMPLES`` (CSV) for the figures.
A business refusal that concurrency makes normal (a case another reviewer just claimed, a
share another officer just batched) counts as a success and is recorded as a conflict.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task
from locust.exception import StopUser

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text(encoding="utf-8"))
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "5,20").split(",")]
_acks = open(os.environ["LOADTEST_ACKS"], "a", encoding="utf-8")  # noqa: SIM115 - whole run
_samples = open(os.environ["LOADTEST_SAMPLES"], "a", encoding="utf-8")  # noqa: SIM115
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
CONTINUE_FORM = re.compile(r'<form method="post" action="([^"]+)">')


def ack(kind: str, **data) -> None:
    _acks.write(json.dumps({"kind": kind, "at": time.time(), **data}, ensure_ascii=False) + "\n")
    _acks.flush()


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception, **kwargs) -> None:
    ok = 0 if exception else 1
    _samples.write(f"{time.time():.3f},{request_type} {name},{response_time:.1f},{ok}\n")


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs) -> None:
    _samples.write(f"{time.time():.3f},__spawned__,0,1\n")
    _samples.flush()


@events.quitting.add_listener
def _close(environment, **kwargs) -> None:
    _samples.flush()
    _acks.flush()


def _pool(names: list[str]):
    """Hand out the accounts in turn (a second user of one account, if ever, has its own
    session)."""
    return itertools.cycle(names)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    accounts = None  # itertools.cycle of usernames, per class

    def on_start(self) -> None:
        self.username = next(self.accounts)
        self.client.get("/accounts/login/", name="/accounts/login/")
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": self.csrf(),
            },
            allow_redirects=False,
            name="/accounts/login/ [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} refused: {response.status_code}")
                raise StopUser()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def api(self, method: str, path: str, name: str, **kwargs):
        headers = {"X-CSRFToken": self.csrf(), "Accept": "application/json"}
        return self.client.request(method, path, name=name, headers=headers, **kwargs)

    def page(self, path: str, name: str | None = None):
        return self.client.get(path, name=name or path)


class EnterpriseUser(PortalUser):
    weight = int(os.environ.get("LOADTEST_WEIGHT_ENTERPRISE", "70"))
    # sorted by number: the districts in turn (prepare.py gives enterprise i district i % 4)
    accounts = _pool(sorted(n for names in ACCOUNTS["enterprises"].values() for n in names))
    clause = ACCOUNTS["apply_clause"]

    def on_start(self) -> None:
        super().on_start()
        self.periods = (str(year) for year in range(2024, 2100))
        self.cases: list[int] = []

    @task(6)
    def browse(self) -> None:
        choice = random.choice(  # noqa: S311 - a load pattern, not a secret
            [
                ("/", "/"),
                ("/policies/", "/policies/"),
                ("/policies/zzw-2022-155/", "/policies/[code]/"),
                (f"/policies/clauses/{self.clause}/", "/policies/clauses/[code]/"),
                ("/policies/calculator/", "/policies/calculator/"),
                ("/applications/", "/applications/"),
                ("/api/v1/applications/", "/api/v1/applications/"),
            ]
        )
        self.page(*choice)
        if self.cases and random.random() < 0.3:  # noqa: S311
            self.page(f"/applications/{random.choice(self.cases)}/", "/applications/[id]/")  # noqa: S311

    @task(1)
    def apply(self) -> None:
        period = next(self.periods, None)
        if period is None:
            return
        # 155号第5条 pays each project once (2023Q1): one project per request
        body = {
            "clause": self.clause,
            "period": period,
            "subject": f"{self.username}压测项目{period}",
            "facts": ACCOUNTS["facts"],
        }
        with self.api(
            "POST", "/api/v1/applications/", "/api/v1/applications/ [POST]", json=body,
            catch_response=True,
        ) as created:  # fmt: skip
            if created.status_code != 201:
                created.failure(f"create: {created.status_code} {created.text[:200]}")
                return
            pk = created.json()["id"]
        for i, item in enumerate(ACCOUNTS["materials"]):
            response = self.api(
                "POST",
                f"/api/v1/applications/{pk}/materials/",
                "/api/v1/applications/[id]/materials/",
                data={"item": item},
                files={"file": (f"材料{i}.pdf", PDF, "application/pdf")},
            )
            if not response.ok:
                return
        with self.api(
            "POST", f"/api/v1/applications/{pk}/submit/", "/api/v1/applications/[id]/submit/",
            json={"commitment_accepted": True}, catch_response=True,
        ) as submitted:  # fmt: skip
            if submitted.status_code != 200:
                submitted.failure(f"submit: {submitted.status_code} {submitted.text[:200]}")
                return
            status = submitted.json()["status"]
        ack(
            "submission",
            application=pk,
            user=self.username,
            subject=body["subject"],
            status=status,
        )
        self.cases.append(pk)
        self.page(f"/applications/{pk}/", "/applications/[id]/")


class ReviewerUser(PortalUser):
    abstract = True
    level = ""

    @task(2)
    def browse(self) -> None:
        self.page("/reviews/")

    @task(5)
    def work_a_case(self) -> None:
        queue = f"/api/v1/reviews/queue/?state={self.level}_review"
        mine = self.api("GET", f"{queue}&assignee=me", "/api/v1/reviews/queue/")
        cases = mine.json().get("results", []) if mine.ok else []
        if not cases:
            free = self.api("GET", f"{queue}&assignee=none&page_size=30", "/api/v1/reviews/queue/")
            cases = free.json().get("results", []) if free.ok else []
            if not cases:
                return
            case = random.choice(cases)  # noqa: S311
            if not self._claim(case["id"]):
                return
        else:
            case = cases[0]
        pk = case["id"]
        url = f"/api/v1/reviews/cases/{pk}/"
        self.page(f"/reviews/cases/{pk}/", "/reviews/cases/[id]/")
        checks = [
            {"kind": "material", "target": item, "passed": True} for item in ACCOUNTS["materials"]
        ] + [{"kind": "fact", "target": name, "passed": True} for name in ACCOUNTS["fact_names"]]
        with self.api(
            "POST", url + "checks/", "/api/v1/reviews/cases/[id]/checks/",
            json={"checks": checks}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 201:
                response.failure(f"checks: {response.status_code} {response.text[:300]}")
                return
        with self.api(
            "POST", url + "approve/", "/api/v1/reviews/cases/[id]/approve/", json={},
            catch_response=True,
        ) as approved:  # fmt: skip
            if approved.status_code != 200:
                approved.failure(f"approve: {approved.status_code} {approved.text[:200]}")
                return
            ack("approval", application=pk, level=self.level, status=approved.json()["status"])

    def _claim(self, pk: int) -> bool:
        with self.api(
            "POST", f"/api/v1/reviews/cases/{pk}/claim/", "/api/v1/reviews/cases/[id]/claim/",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                return True
            if response.status_code == 400:  # another reviewer was quicker: normal
                response.success()
                ack("conflict", what="claim", application=pk)
                return False
            response.failure(f"claim: {response.status_code} {response.text[:200]}")
            return False


class DistrictReviewer(ReviewerUser):
    weight = int(os.environ.get("LOADTEST_WEIGHT_DISTRICT_REVIEWER", "12"))
    accounts = _pool(
        [n for group in zip(*ACCOUNTS["district_reviewers"].values(), strict=True) for n in group]
    )
    level = "district"


class CityReviewer(ReviewerUser):
    weight = int(os.environ.get("LOADTEST_WEIGHT_CITY_REVIEWER", "6"))
    accounts = _pool(ACCOUNTS["city_reviewers"])
    level = "city"


class FinanceOfficer(PortalUser):
    weight = int(os.environ.get("LOADTEST_WEIGHT_FINANCE", "12"))
    # city and district bureaus in turn
    accounts = _pool(
        [n for group in zip(*ACCOUNTS["finance"].values(), strict=True) for n in group]
    )

    def on_start(self) -> None:
        super().on_start()
        self.batch: int | None = None
        self.todo: list[int] = []

    @task(2)
    def browse(self) -> None:
        self.page(random.choice(["/finance/shares/", "/finance/batches/"]))  # noqa: S311

    @task(5)
    def pay(self) -> None:
        if not self.todo:
            self._new_batch()
            return
        self._mark_paid(self.todo.pop())

    def _new_batch(self) -> None:
        listing = self.api(
            "GET", "/api/v1/finance/shares/?status=scheduled&page_size=50",
            "/api/v1/finance/shares/",
        )  # fmt: skip
        shares = [s["id"] for s in listing.json().get("results", [])] if listing.ok else []
        if not shares:
            return
        chosen = random.sample(shares, min(3, len(shares)))
        with self.api(
            "POST", "/api/v1/finance/batches/", "/api/v1/finance/batches/ [POST]",
            json={"share_ids": chosen, "note": f"压测 {self.username}"}, catch_response=True,
        ) as created:  # fmt: skip
            if created.status_code == 201:
                self.batch, self.todo = created.json()["id"], chosen
            elif created.status_code == 400:  # another officer batched one of them first
                created.success()
                ack("conflict", what="batch", shares=chosen)
            else:
                created.failure(f"batch: {created.status_code} {created.text[:200]}")
        if self.batch:
            self.page(f"/finance/batches/{self.batch}/", "/finance/batches/[id]/")

    def _mark_paid(self, share: int) -> None:
        batch_page = f"/finance/batches/{self.batch}/"
        voucher = f"LT-{share}"
        form = {
            "voucher_no": voucher,
            # the portal's day (Asia/Shanghai): a paid date between the batch day and today
            "paid_on": dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d"),
            "csrfmiddlewaretoken": self.csrf(),
        }
        response = self.client.post(
            f"{batch_page}shares/{share}/paid/",
            form,
            allow_redirects=False,
            name="/finance/batches/[id]/shares/[id]/paid/",
        )
        location = response.headers.get("Location", "")
        if response.status_code == 302 and "/accounts/reauth/" in location:
            if not self._reauthenticate(location):
                return
        elif response.status_code != 302:
            return  # counted as a failure by locust already (4xx/5xx)
        with self.client.get(
            batch_page, name="/finance/batches/[id]/", catch_response=True
        ) as page:
            if "已登记。" in page.text:
                ack("payment", share=share, voucher=voucher, batch=self.batch, user=self.username)
            elif "此前已登记" not in page.text:
                page.failure(f"share {share}: the batch page does not confirm the payment")

    def _reauthenticate(self, location: str) -> bool:
        """The re-auth page, then its "continue" page, which submits the kept form."""
        self.page(location, "/accounts/reauth/")
        with self.client.post(
            "/accounts/reauth/",
            {
                "password": ACCOUNTS["password"],
                "next": parse_qs(urlsplit(location).query).get("next", ["/"])[0],
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="/accounts/reauth/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as confirmed:
            action = CONTINUE_FORM.search(confirmed.text or "")
            if confirmed.status_code != 200 or not action:
                confirmed.failure(f"re-authentication: {confirmed.status_code}")
                return False
        fields = {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(confirmed.text)}
        fields["csrfmiddlewaretoken"] = self.csrf()
        response = self.client.post(
            html.unescape(action.group(1)),
            fields,
            allow_redirects=False,
            name="/finance/batches/[id]/shares/[id]/paid/ (continued)",
        )
        return response.status_code == 302
