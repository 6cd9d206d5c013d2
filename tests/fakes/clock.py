"""A monotonic clock for the clients' time budgets: it moves only when a test makes it (no wall-clock time)."""


class FakeClock:
    """Injected as the client's clock and ``sleep``: the client's waits advance it."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def no_jitter() -> float:
    """Injected as a client's ``jitter``: every backoff is its full exponential value."""
    return 0.0
