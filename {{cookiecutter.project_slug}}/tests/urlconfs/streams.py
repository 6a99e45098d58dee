"""Views whose bodies are streams, for the request handler's tests."""

import asyncio

from django.http import StreamingHttpResponse
from django.urls import path

#: What the views saw, for the tests to read.
seen: dict[str, object] = {}


class Closing:
    """A body whose close() is recorded: Django calls it in response.close()."""

    def __init__(self, parts, fail_after=None):
        self.parts, self.fail_after = parts, fail_after

    def __iter__(self):
        for number, part in enumerate(self.parts):
            if number == self.fail_after:
                raise RuntimeError("the body broke")
            yield part

    def close(self):
        seen["closed"] = True


def sync_parts(request):
    return StreamingHttpResponse(Closing([b"one ", b"two ", b"three"]))


def broken_parts(request):
    return StreamingHttpResponse(Closing([b"one ", b"two "], fail_after=1))


def endless(request):
    async def ticks():
        try:
            while True:
                yield b"tick\n"
                await asyncio.sleep(0.01)
        finally:
            seen["stream stopped"] = True

    return StreamingHttpResponse(ticks())


urlpatterns = [
    path("sync-parts", sync_parts),
    path("broken-parts", broken_parts),
    path("endless", endless),
]
