"""Slow Django work in event handlers: never on one shared thread, one at a time per client."""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model

from reflex_django.auth import accounts
from reflex_django.auth.request import build_request
from reflex_django.threads import client_locks, run_for_client, run_sync

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
#: Django's real hasher: the slow work the attack in the security review queued.
REAL_HASHER = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def in_new_loop(coroutine):
    """Run in a thread of its own: Playwright's sync API may hold this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def event_request(ip: str):
    return build_request({"host": "testserver"}, ip, "http://testserver/register")


async def log_in(ip: str) -> None:
    outcome = await run_for_client(ip, accounts.log_in, event_request(ip), "alice", PASSWORD, None)
    assert outcome.ok


@pytest.mark.slow
def test_a_login_is_not_stalled_by_sixteen_registrations_from_one_client(settings):
    """The security review's attack: 16 sockets registering at once from one address.

    No clock: the test counts how many registrations were done when the
    login came back. Queued behind them, as on one shared thread, it would
    come back after all sixteen; beside them, while one client's work runs
    one at a time, after a few. Load slows both sides alike.
    """
    settings.PASSWORD_HASHERS = REAL_HASHER
    settings.REFLEX_DJANGO_AUTH = {"REGISTRATIONS_BEFORE_LOCKOUT": 100}  # all of them hash
    get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)

    def form(i: int) -> dict[str, str]:
        return {
            "username": f"bot{i}",
            "email": f"bot{i}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }

    async def scenario() -> tuple[int, int]:
        attacker = "10.6.6.6"
        registrations = [
            asyncio.create_task(
                run_for_client(attacker, accounts.register, event_request(attacker), form(i), None)
            )
            for i in range(16)
        ]
        await asyncio.sleep(0.05)  # all sixteen are in flight
        await log_in("10.0.0.3")
        done_before_login = sum(task.done() for task in registrations)
        outcomes = await asyncio.gather(*registrations)
        return done_before_login, sum(outcome.ok for outcome in outcomes)

    done_before_login, registered = in_new_loop(scenario())
    assert registered == 16
    assert done_before_login <= 4, f"the login waited for {done_before_login} of 16 registrations"


def test_work_runs_off_the_thread_that_thread_sensitive_code_shares():
    async def scenario():
        return await run_sync(threading.current_thread)()

    assert in_new_loop(scenario()).name.startswith("reflex_django")


def test_one_clients_operations_run_one_at_a_time_and_leave_no_lock_behind():
    running, most = 0, 0

    def work():
        nonlocal running, most
        running += 1
        most = max(most, running)
        time.sleep(0.05)
        running -= 1

    async def scenario():
        await asyncio.gather(*(run_for_client("10.0.0.1", work) for _ in range(4)))

    in_new_loop(scenario())
    assert most == 1 and len(client_locks) == 0
