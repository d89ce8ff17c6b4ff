"""Date errors read as sentences: a label that is not a noun phrase ("Open on", "Date it was done")
gave "Enter open on" and "Enter date it was done"."""

import pytest

from casework.forms import ENTER_AS_OF, AuditActionDoneForm, SampleDrawForm


@pytest.mark.django_db
def test_drawing_a_sample_without_a_date_asks_for_the_date_in_words():
    form = SampleDrawForm(data={"title": "Rolling audit", "size": "12"})
    assert not form.is_valid()
    assert form.errors["as_of"] == [ENTER_AS_OF]
    assert ENTER_AS_OF == "Enter the date the children must be open on"


@pytest.mark.django_db
def test_drawing_a_sample_with_half_a_date_names_the_date_in_words():
    form = SampleDrawForm(data={"title": "Rolling audit", "size": "12", "as_of_0": "3", "as_of_1": "12"})
    assert not form.is_valid()
    assert form.errors["as_of"] == ["The date the children must be open on must include a year"]


def test_marking_an_action_done_without_a_date_asks_for_the_date_it_was_done():
    form = AuditActionDoneForm(data={"note": "Visited"})
    assert not form.is_valid()
    assert form.errors["done_on"] == ["Enter the date it was done"]
