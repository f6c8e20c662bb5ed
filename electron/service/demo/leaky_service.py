"""Heapscope's demo: a tiny request-handling service with three classic leaks.

Run by electron/service/demo.ts under the dumper (`python3 -m heapscope run --dump-at-exit …`), so
the snapshot is taken when the loop ends. What a reader should find in the Explorer:

1. `_SESSION_CACHE` (module dict) keeps every `Session` ever created: the largest retained type.
2. `EventBus._listeners` keeps a bound method of every `RequestHandler`, which is never unsubscribed.
3. `make_audit_logger()` returns a closure whose captured list `audit_log` grows per request.

`_SESSION_WATCH` holds weak references to every session: they appear among a session's referrers
but never in its retainer paths.
"""

import weakref


class Session:
    """Per-request state that should have been dropped when the request finished."""

    def __init__(self, request_id, user):
        self.request_id = request_id
        self.user = user
        self.headers = {"user-agent": "demo/1.0", "x-request-id": f"req-{request_id}"}
        self.body = bytearray(512)
        self.history = [f"{user}:{step}" for step in range(6)]


class EventBus:
    def __init__(self):
        self._listeners = []

    def subscribe(self, callback):
        self._listeners.append(callback)

    def publish(self, event):
        for callback in self._listeners:
            callback(event)


class RequestHandler:
    """Subscribes itself for 'shutdown' and forgets to unsubscribe: every handler stays alive."""

    def __init__(self, bus, request_id):
        self.request_id = request_id
        self.scratch = [0] * 32
        bus.subscribe(self.on_event)

    def on_event(self, event):
        return (self.request_id, event)


def make_audit_logger():
    audit_log = []

    def audit(request_id, user):
        audit_log.append({"request": request_id, "user": user, "note": "handled"})

    return audit


_SESSION_CACHE = {}
BUS = EventBus()
AUDIT = make_audit_logger()
# Weak references to the sessions: shown in the referrer tree, never counted as a retainer.
_SESSION_WATCH = []


def handle(request_id):
    user = f"user{request_id % 53}"
    session = Session(request_id, user)
    _SESSION_CACHE[f"req-{request_id}"] = session
    _SESSION_WATCH.append(weakref.ref(session))
    RequestHandler(BUS, request_id)
    AUDIT(request_id, user)
    return len(session.history)


def main(requests=3000):
    served = 0
    for request_id in range(requests):
        served += handle(request_id)
    return served


if __name__ == "__main__":
    main()
