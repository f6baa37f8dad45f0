"""The folder broker (the embedded default, `filesystem://`) with its messages
written whole before a worker can see them.

kombu's filesystem transport creates a message's file under its final name and
then writes it: a worker listing the folder in between takes the file empty and
stops on a JSON error. Here a message is written under a name no queue reads
(`….msg.part`) and renamed into place, which is atomic within one folder.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # kombu's own signature for this transport (its stubs mark it the same way).
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as f:
                f.write(dumps(payload).encode())
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def use() -> None:
    """`filesystem://` means this transport in this process."""
    TRANSPORT_ALIASES["filesystem"] = "config.broker:Transport"
