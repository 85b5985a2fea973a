"""Row helpers that need no server: the fast contact copy and the tags encoder."""

from __future__ import annotations

import attrs
import psycopg
from hypothesis import given
from hypothesis import strategies as st
from infointerview_postgres.rows import TagsBinaryDumper, stored_contact
from psycopg.adapt import PyFormat, Transformer

from infointerview.model import Contact
from infointerview.testing import strategies as iis


@given(iis.contacts(), st.integers(min_value=1, max_value=2**31 - 1))
def test_stored_contact_equals_evolve(contact: Contact, version: int) -> None:
    """The fast copy is field for field what ``attrs.evolve(contact, version=...)`` makes."""
    copied = stored_contact(contact, version)
    assert copied == attrs.evolve(contact, version=version)
    assert type(copied) is Contact
    assert copied is not contact and contact.version == 0


def test_stored_contact_covers_every_field() -> None:
    """A contact with every field set keeps each of them, whatever fields Contact has."""
    contact = Contact(
        name="Ada",
        organisation="Engines",
        role="Analyst",
        field="maths",
        source="alumni",
        referrer_id="ref-1",
        affiliation="Society",
        email="ada@example.org",
        phone="+44",
        linkedin_url="https://www.linkedin.com/in/ada",
        tags={"a", "b"},
        notes="note",
        cadence_days=3,
        id="id-1",
    )
    copied = stored_contact(contact, 2)
    for field in attrs.fields(Contact):
        expected = 2 if field.name == "version" else getattr(contact, field.name)
        assert getattr(copied, field.name) == expected, field.name


@given(st.lists(st.text(st.characters(exclude_categories=["Cs"]), max_size=8), min_size=1))
def test_tags_encode_like_psycopgs_own_array_dumper(tags: list[str]) -> None:
    """For a non-empty list the lean encoder writes exactly psycopg's binary text[]."""
    stock = Transformer().get_dumper(tags, PyFormat.BINARY)
    assert TagsBinaryDumper(frozenset).dump(tags) == stock.dump(tags)


def test_empty_tags_encode_as_an_empty_text_array() -> None:
    """An empty set becomes a zero-dimension text[] that PostgreSQL reads as '{}'."""
    loader = Transformer().get_loader(1009, psycopg.pq.Format.BINARY)
    assert loader.load(TagsBinaryDumper(frozenset).dump(frozenset())) == []
