"""The upload handlers, one of each kind that Reflex's ``/_upload`` serves."""

import reflex as rx

#: Reflex serves ``/_upload`` only in an app that builds an upload component.
#: A page would; the probe has no page, so this stands in for one.
UPLOAD_FIELD = rx.upload(rx.text("Drop files here"), id="upload-probe")


class UploadProbe(rx.State):
    """Counts the bytes each handler received."""

    received: int = 0

    @rx.event
    async def receive(self, files: list[rx.UploadFile]):
        """Reflex parses the whole body first, then calls this."""
        for file in files:
            self.received += len(await file.read())

    @rx.event(background=True)
    async def stream(self, chunks: rx.UploadChunkIterator):
        """Reflex feeds this the body as it arrives."""
        async for chunk in chunks:
            async with self:
                self.received += len(chunk.data)
