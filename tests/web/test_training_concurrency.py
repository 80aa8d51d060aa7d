"""Two people book the last place at the same moment, against the real server.

`observatory serve` (waitress, several worker threads) runs on the test's own database
(SQLite, or PostgreSQL under `--db=postgres -m database`). For each of a few sessions with
one place left, two threads load the booking form, wait at a barrier, and post it at once:
exactly one gets the place and the other is waitlisted, never two places and never an error.
"""

import http.cookiejar
import json
import re
import threading
import urllib.parse
import urllib.request

import pytest

from tests.support.cli import cli_env, run_cli, running_server
from tests.support.postgres import free_port

ROUNDS = 3
SETUP = f"""
import datetime
from django.utils import timezone
from observatory.web.training.models import Booking, Course, Session
now = timezone.now()
course = Course.objects.create(title="Preventing VAWG")
ids = []
for _ in range({ROUNDS}):
    session = Session.objects.create(
        course=course, starts_at=now + datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=7, hours=3), venue="Birmingham", capacity=2,
        booking_opens_at=now - datetime.timedelta(days=1),
        booking_closes_at=now + datetime.timedelta(days=6),
        cancellation_cutoff=now + datetime.timedelta(days=5),
    )
    Booking.objects.create(
        session=session, name="Early Bird", email="early@example.org", organisation="Early",
        job_role="Teacher", sector="education", status=Booking.Status.CONFIRMED,
    )
    ids.append(session.pk)
print(ids)
"""
STATUSES = """
import json
from observatory.web.training.models import Booking
print(json.dumps(sorted(Booking.objects.exclude(email="early@example.org")
      .values_list("session_id", "email", "status"))))
"""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def env(tmp_path, database_url):
    return cli_env(tmp_path / "data", database_url)


def shell(env, code: str) -> str:
    result = run_cli("manage", "shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def book_at_the_barrier(url: str, email: str, barrier: threading.Barrier, results: dict):
    """Load the form (for its CSRF cookie and token), wait for the other person, post."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        with opener.open(url, timeout=30) as form:
            token = CSRF.search(form.read().decode())[1]
        fields = {
            "csrfmiddlewaretoken": token,
            "name": f"Person {email}",
            "email": email,
            "organisation": f"Organisation of {email}",
            "job_role": "Coach",
            "sector": "sport",
            "local_authority": "",
            "young_people": "30",
        }
        barrier.wait(timeout=30)
        with opener.open(url, urllib.parse.urlencode(fields).encode(), timeout=60) as page:
            results[email] = (page.status, page.url, page.read().decode())
    except Exception as error:  # report it in the main thread's assertion
        results[email] = error


def test_two_people_booking_the_last_place_at_once(env):
    assert run_cli("migrate", env=env).returncode == 0
    session_ids = json.loads(shell(env, SETUP))
    with running_server("serve", "--port", str(free_port()), env=env) as server:
        for session_id in session_ids:
            url = f"{server.url}training/sessions/{session_id}/book/"
            barrier = threading.Barrier(2)
            results = {}
            people = [f"{who}{session_id}@example.org" for who in ("ann", "bob")]
            threads = [
                threading.Thread(target=book_at_the_barrier, args=(url, email, barrier, results))
                for email in people
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            outcomes = [results[email] for email in people]
            assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
            assert [status for status, _, _ in outcomes] == [200, 200]
            assert all("/training/b/" in final_url for _, final_url, _ in outcomes)
            shown = sorted(
                "confirmed" if "Your place is confirmed" in page else "waitlisted"
                for _, _, page in outcomes
                if "Your place is confirmed" in page or "you are on the waitlist" in page
            )
            assert shown == ["confirmed", "waitlisted"], server.output
    stored = json.loads(shell(env, STATUSES))
    for session_id in session_ids:
        assert sorted(status for sid, _, status in stored if sid == session_id) == [
            "confirmed",
            "waitlisted",
        ]
