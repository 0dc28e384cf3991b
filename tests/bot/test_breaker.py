import pytest

from bot.breaker import CircuitBreaker


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_repeated_failures() -> None:
    breaker = CircuitBreaker(failures_to_open=3, cool_down=60, clock=Ticks())
    for _ in range(3):
        breaker.failed()
    assert breaker.state == "open" and not breaker.allows()


@pytest.fixture
def cooled_down() -> CircuitBreaker:
    """A breaker that one failure opened, just past its cool-down."""
    ticks = Ticks()
    breaker = CircuitBreaker(failures_to_open=1, cool_down=60, clock=ticks)
    breaker.failed()
    ticks.now = 61
    return breaker


def test_the_breaker_lets_one_trial_through_after_cooling_down(cooled_down: CircuitBreaker) -> None:
    assert cooled_down.state == "half_open" and cooled_down.allows()


def test_a_failed_trial_opens_the_breaker_again(cooled_down: CircuitBreaker) -> None:
    cooled_down.failed()
    assert cooled_down.state == "open"


def test_a_success_closes_the_breaker(cooled_down: CircuitBreaker) -> None:
    cooled_down.succeeded()
    assert cooled_down.state == "closed"
