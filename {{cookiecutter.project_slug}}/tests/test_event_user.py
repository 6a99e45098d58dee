"""Within one event the guard's user is reused; across events, sockets and cookies never."""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.auth.models import AnonymousUser

from reflex_django.auth import event_user
from reflex_django.auth.request import build_request

COOKIE = "sessionid=abc; csrftoken=def"


def event_request(socket: str | None = "sid-1", cookie: str = COOKIE):
    return build_request({"host": "testserver", "cookie": cookie}, "10.0.0.1", "http://t/", socket)


class Marker:
    """Stands for a user: reused means the very same object comes back."""

    is_authenticated = True


def test_a_handler_reuses_the_user_the_guard_resolved():
    async def event() -> object:
        user = Marker()
        event_user.remember("sid-1", COOKIE, user)
        return user, await event_request().auser()

    user, again = asyncio.run(event())
    assert again is user


@pytest.mark.parametrize(
    ("socket", "cookie"),
    [("sid-2", COOKIE), ("sid-1", "sessionid=other"), (None, COOKIE)],
)
@pytest.mark.django_db(transaction=True)
def test_another_socket_or_cookie_resolves_its_own(socket, cookie):
    async def event() -> object:
        event_user.remember("sid-1", COOKIE, Marker())
        return await event_request(socket, cookie).auser()

    assert isinstance(asyncio.run(event()), AnonymousUser)  # looked up: no such session


@pytest.mark.django_db(transaction=True)
def test_after_forget_the_user_is_resolved_again():
    async def event() -> object:
        event_user.remember("sid-1", COOKIE, Marker())
        event_user.forget()  # what AuthState.logout does after logging out
        return await event_request().auser()

    assert isinstance(asyncio.run(event()), AnonymousUser)


def test_one_events_user_is_invisible_to_another_events_task():
    async def guard_and_handler(user: object, started: asyncio.Event) -> object:
        event_user.remember("sid-1", COOKIE, user)
        started.set()
        await asyncio.sleep(0)
        return event_user.recall("sid-1", COOKIE)

    async def other_event(started: asyncio.Event) -> object:
        await started.wait()
        return event_user.recall("sid-1", COOKIE)

    async def both() -> tuple[object, object]:
        started = asyncio.Event()
        user = Marker()
        mine, other = await asyncio.gather(guard_and_handler(user, started), other_event(started))
        return mine is user, other

    assert asyncio.run(both()) == (True, None)
