"""Where one socket is in its thread's events: the order a reader gets them in.

A socket gets event ``n`` only after ``n - 1``, never twice, and learns when what it shows can
no longer be continued (``thread.reload``). The thread's feed (hub.ThreadFeed) offers every
event to the cursor of each of its sockets and fills the gaps they report from the database;
the cursor itself knows nothing of Channels, the layer or the database.
"""

from deliberation import conf
from deliberation.realtime.frames import EVERYONE, dumps

REPLAY_INTERVAL = 2  # seconds between two replays asked by one socket


def reload_text(reason: str) -> str:
    """The ``thread.reload`` frame: ``gap_too_large`` or ``history_changed``."""
    return dumps({"type": "thread.reload", "reason": reason})


def _replay_limit() -> int:
    return conf.get("DELIBERATION_REALTIME_REPLAY_LIMIT")


class Cursor:
    """One socket's position in its thread: the last event number it has (``seq``, None until
    it has said hello), what arrived before that (``backlog``) and what arrived out of order
    (``held``). ``variant`` is which rendering of each event the socket gets (frames.variant)."""

    def __init__(self, variant: str):
        self.variant = variant
        self.seq: int | None = None
        self.backlog: list[tuple[int, dict]] | None = []
        self.held: dict[int, dict] = {}
        self.replayed_at = -REPLAY_INTERVAL

    def start(
        self, *, latest: int, since: int | None, known: str | None, since_token: str | None
    ) -> tuple[list[str], bool]:
        """Begin after ``thread.hello`` (the thread's ``latest`` number): from ``since`` when the
        client resumes and its event ``since`` (token ``known``) is still the database's
        (``since_token``), else from ``latest`` after a ``thread.reload``. The texts to send
        now, in order, and whether the feed must fill a gap."""
        out = []
        if since is not None and (since > latest or latest - since > _replay_limit()):
            out.append(reload_text("gap_too_large"))
            since = None
        elif since and known is not None and known != since_token:
            # The client's event ``since`` is not the database's: it was restored meanwhile.
            out.append(reload_text("history_changed"))
            since = None
        self.seq = latest if since is None else since
        backlog, self.backlog = self.backlog or [], None
        for seq, texts in backlog:
            texts_now, _gap = self.offer(seq, texts)
            out.extend(texts_now or ())
        return out, self.seq < latest or bool(self.held)

    def offer(self, seq: int, texts: dict[str, str]) -> tuple[list[str] | None, bool]:
        """(the texts to send now, in order, or None; whether this socket has a gap to fill).

        Synchronous and cheap: the feed calls it for every local socket of the thread."""
        if self.seq is None:
            self.backlog.append((seq, texts))
            return None, False
        if seq <= self.seq:
            return None, False
        text = texts.get(self.variant) or texts.get(EVERYONE)
        if seq > self.seq + 1 or text is None:
            self.held[seq] = texts
            if len(self.held) > _replay_limit():
                # The gap cannot be filled (the database is failing us): give up on this
                # backlog, tell the client to reload, and go on from the latest event.
                self.seq, self.held = max(self.held), {}
                return [reload_text("gap_too_large")], False
            return None, True
        self.seq = seq
        return [text, *self._release_held()], bool(self.held)

    def _release_held(self) -> list[str]:
        """The held events that now follow on, in order (dropping those already passed)."""
        out = []
        while self.held:
            following = self.held.pop(self.seq + 1, None)
            self.held = {s: t for s, t in self.held.items() if s > self.seq}
            if following is None:
                break
            text = following.get(self.variant) or following.get(EVERYONE)
            if text is None:
                self.held[self.seq + 1] = following
                break
            self.seq += 1
            out.append(text)
        return out

    def history_changed(self, position: int) -> str | None:
        """The thread's history changed under this socket (its database was restored from a
        backup): what the client shows past ``position`` may be events the server no longer
        has. The ``thread.reload`` text to send; the socket goes on from ``position``."""
        if self.seq is None:
            return None
        self.seq, self.held = position, {}
        return reload_text("history_changed")

    def replay_too_soon(self, now: float) -> bool:
        """Whether a replay asked at ``now`` (monotonic seconds) comes too soon after the last
        one: a replay re-reads and re-renders events, one per socket every few seconds."""
        if now - self.replayed_at < REPLAY_INTERVAL:
            return True
        self.replayed_at = now
        return False

    def rewind(self, since: int) -> str | None:
        """The client says it has only up to ``since``: go back there so that the feed sends
        the rest again, or the ``thread.reload`` text when that is too far back."""
        if since < self.seq:
            if self.seq - since > _replay_limit():
                return reload_text("gap_too_large")
            self.seq, self.held = since, {}
        return None
