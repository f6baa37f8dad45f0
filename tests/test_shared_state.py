"""A module marked `state(name)` shares that catalogue state: restored once, each
test in a savepoint of it. What a test writes is gone before the next; a test
that restores another state gets it; a test that reads the domain tables without
asking for the shared state fails (it would see the state without saying so)."""

from __future__ import annotations

import pytest

from catalog.models import Endpoint, LanguageModel
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("catalogued")]


@pytest.fixture
def catalogued(mock_upstream):
    snapshots.load("catalogued")
    return mock_upstream


@pytest.mark.parametrize("turn", [1, 2])
def test_what_a_test_writes_is_gone_before_the_next(catalogued, turn):
    # Each turn starts from the shared state, whichever ran first.
    assert LanguageModel.objects.count() == 321
    assert not Endpoint.objects.exists()
    LanguageModel.objects.filter(slug="liquid/lfm-40b").delete()
    assert LanguageModel.objects.count() == 320


def test_another_state_is_restored_in_the_test(mock_upstream):
    snapshots.load("synced")
    assert Endpoint.objects.exists()
    # Asking for the shared state again after that restores it: no shortcut.
    snapshots.load("catalogued")
    assert LanguageModel.objects.count() == 321
    assert not Endpoint.objects.exists()


def test_a_test_that_does_not_ask_for_the_shared_state_fails(catalogued):
    with (
        pytest.raises(AssertionError, match="does not ask for it"),
        snapshots.sharing_checked("the test"),
    ):
        LanguageModel.objects.count()
    # Nor does a query outside the domain tables count as reading the state.
    with snapshots.sharing_checked("the test"):
        from django.contrib.auth.models import User

        User.objects.count()
    snapshots.load("catalogued")  # this test itself asked
