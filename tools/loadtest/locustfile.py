"""The simulated users of `make loadtest`, for locust (run as its own process, never imported by
Django or pytest: locust patches the standard library with gevent on import).

The plan (addresses, logins, the measures to update) comes from the JSON file named by
LOADTEST_PLAN, written by tools/loadtest/__main__.py. Each request is named by its kind, so
locust's statistics are per kind. The server runs as behind a TLS-terminating proxy: every request
says `X-Forwarded-Proto: https`, and the cookie jar sends the Secure `__Host-` cookies over the
loopback leg, as the proxy would.
"""

# ruff: noqa: S311 - random choices of pages and values to simulate users, nothing secret

from __future__ import annotations

import json
import os
import random
import re
from http.cookiejar import Cookie, DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.request import Request

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# What the status form says when somebody else saved the measure after it was opened.
CONFLICT = "endret av noen andre"
MAX_TRIES = 10

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
_TEXTAREA = re.compile(r'<textarea\b[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', re.S | re.I)
_ERRORS = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)


def _send_secure_cookies_over_loopback(
    policy: DefaultCookiePolicy, cookie: Cookie, request: Request
) -> bool:
    return True


# Secure cookies go to the server too: TLS ends at the (simulated) proxy in front of it. Patched
# on the class, because requests copies the session's cookies into a fresh jar for each request;
# this process does nothing but the load test.
DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_loopback  # type: ignore[method-assign,assignment]


def form_fields(html: str) -> dict[str, str]:
    """The values a browser would post from the page's form (inputs and textareas)."""
    fields = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if "name" in attrs and attrs.get("type") not in {"submit", "button"}:
            fields[attrs["name"]] = attrs.get("value", "")
    for name, text in _TEXTAREA.findall(html):
        fields[name] = text.strip()
    return fields


def form_errors(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(_ERRORS.findall(html))).split())[:300]


class PortalUser(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers.update(PROXY_HEADERS)
        origin = f"https://{self.host.split('://', 1)[1]}" if self.host else ""
        self.post_headers = {"Origin": origin, "Referer": f"{origin}/admin/"}

    def log_in(self, username: str) -> None:
        page = self.client.get("/admin/login/", name="login: form")
        token = form_fields(page.text).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/admin/login/",
            data={
                "username": username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            },
            headers=self.post_headers,
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {username}: HTTP {response.status_code}")


class PublicReader(PortalUser):
    """A resident or journalist: pages, filters (with and without htmx), feeds, open data."""

    weight = 1  # everyone who is not one of the fixed-count users below
    wait_time = between(0.1, 1.0)

    @task(6)
    def page(self) -> None:
        path = random.choice(
            [
                "/",
                "/tiltak/",
                "/satsingsomrader/",
                "/kommuner/",
                "/oppdateringer/",
                "/data/",
                *[f"/tiltak/{slug}/" for slug in PLAN["measures"]],
                *[f"/satsingsomrader/{slug}/" for slug in PLAN["focus_areas"]],
                *[f"/kommuner/{slug}/" for slug in PLAN["municipalities"]],
            ]
        )
        with self.client.get(path, name="page", catch_response=True) as response:
            if response.status_code == 200 and "<html" not in response.text:
                response.failure(f"{path}: not a whole page")

    def _filters(self) -> str:
        parts = [f"omrade={random.choice(PLAN['focus_areas'])}"]
        if random.random() < 0.5:
            parts.append(f"kommune={random.choice(PLAN['municipalities'])}")
        if random.random() < 0.5:
            parts.append(f"status={random.choice(PLAN['statuses'])}")
        return "/tiltak/?" + "&".join(parts)

    @task(2)
    def filter_page(self) -> None:
        self.client.get(self._filters(), name="filter")

    @task(3)
    def filter_htmx(self) -> None:
        path = self._filters()
        with self.client.get(
            path, headers={"HX-Request": "true"}, name="filter (htmx)", catch_response=True
        ) as response:
            if response.status_code == 200 and (
                "<html" in response.text or "HX-Push-Url" not in response.headers
            ):
                response.failure(f"{path}: htmx did not get a fragment with HX-Push-Url")

    @task(2)
    def feed(self) -> None:
        path = random.choice(
            ["/feed/", *[f"/tiltak/{slug}/feed/" for slug in PLAN["measures"][:5]]]
        )
        with self.client.get(path, name="feed (Atom)", catch_response=True) as response:
            if response.status_code == 200 and "<feed" not in response.text:
                response.failure(f"{path}: not an Atom feed")

    @task(1)
    def open_data(self) -> None:
        path, kind = random.choice(
            [("/data/tiltak.csv", "text/csv"), ("/data/tiltak.json", "application/json")]
        )
        with self.client.get(path, name="open data", catch_response=True) as response:
            if response.status_code == 200 and kind not in response.headers.get("Content-Type", ""):
                response.failure(f"{path}: {response.headers.get('Content-Type')}")


class SteeringGroupMember(PortalUser):
    """A mayor downloading the current status report as PDF now and then."""

    fixed_count = 1
    wait_time = between(4, 8)

    def on_start(self) -> None:
        super().on_start()
        self.log_in(PLAN["steering_user"])

    @task
    def current_report(self) -> None:
        with self.client.get(
            "/rapporter/gjeldende.pdf", name="report PDF", catch_response=True
        ) as response:
            if response.status_code == 200 and not response.content.startswith(b"%PDF"):
                response.failure("/rapporter/gjeldende.pdf: not a PDF")
            elif response.status_code == 503 and response.headers.get("Retry-After"):
                response.success()  # not made yet (no worker runs here): a normal answer


class ProjectLeader(PortalUser):
    """A project leader reporting status through «Oppdater status» in the admin, on the same few
    measures as the other leaders. When the form is refused because someone else saved the
    measure meanwhile, the leader does what the page asks: reads the form as it now is (it
    carries the current version) and saves again. That is not an error; it is counted."""

    fixed_count = len(PLAN["leaders"])
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.username = PLAN["leaders"][PLAN["leader_index"] % len(PLAN["leaders"])]
        PLAN["leader_index"] += 1  # one process: each leader gets its own login
        self.log_in(self.username)
        self.sequence = 0

    @task
    def update_status(self) -> None:
        measure = random.choice(PLAN["status_measures"])
        url = f"/admin/measures/measure/{measure}/status/"
        with self.client.get(url, name="status: open form", catch_response=True) as response:
            if response.status_code != 200 or "expected_version" not in response.text:
                response.failure(
                    f"{url}: HTTP {response.status_code}, no status form {response.error or ''}"
                )
                return
            page = response.text
        self.sequence += 1
        for _ in range(MAX_TRIES):
            data = form_fields(page) | {
                "status": random.choice(["etter-plan", "forsinket"]),
                "progress": str(random.randint(1, 99)),
                "comment": f"Lasttest: {self.username}, oppdatering {self.sequence}.",
            }
            with self.client.post(
                url,
                data=data,
                headers=self.post_headers,
                allow_redirects=False,
                name="status: save",
                catch_response=True,
            ) as response:
                if response.status_code == 302:
                    return
                if response.status_code == 200 and CONFLICT in response.text:
                    response.request_meta["name"] = "status: save refused (conflict)"
                    response.success()
                    page = response.text  # the form again, at the current version
                    continue
                response.failure(f"{url}: HTTP {response.status_code} {form_errors(response.text)}")
                return
        self.environment.events.request.fire(
            request_type="POST",
            name="status: save",
            response_time=0,
            response_length=0,
            exception=RuntimeError(f"{url}: still refused after {MAX_TRIES} tries"),
            context={},
        )
