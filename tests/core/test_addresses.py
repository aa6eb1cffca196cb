"""Addresses validated and formatted per country; several field errors reported at once, in the
API (one entry per field) and on Django forms (each on its field)."""

import pytest
from django import forms

from apps.core.addresses import (
    Address,
    address_fields_used,
    address_format,
    address_validate,
    country_area_normalize,
)
from apps.core.api.exceptions import exception_handler
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors, FieldError
from apps.core.forms import form_errors_add

GOOGLEPLEX = {
    "first_name": " Ada ",
    "last_name": "Lovelace",
    "street_address_1": "1600  Amphitheatre Pkwy",
    "city": "Mountain View",
    "country_area": "california",
    "postal_code": "94043",
    "country_code": "us",
    "phone": "+1 650 253 0000",
}


def _errors(data: dict, **kwargs) -> list[tuple[str, str, str]]:
    with pytest.raises(ApplicationFieldErrors) as caught:
        address_validate(data, **kwargs)
    assert caught.value.code == "address_invalid"
    return [(error.field, error.code, error.message) for error in caught.value.errors]


def test_us_address_is_normalised_and_formatted():
    # when
    address = address_validate(GOOGLEPLEX)
    # then: codes upper-cased, the state as its code, spacing tidied, the city as typed
    assert address == Address(
        first_name="Ada",
        last_name="Lovelace",
        street_address_1="1600 Amphitheatre Pkwy",
        city="Mountain View",
        country_area="CA",
        postal_code="94043",
        country_code="US",
        phone="+1 650 253 0000",
    )
    assert address.region == "US-CA"
    assert address_format(address) == [
        "Ada Lovelace",
        "1600 Amphitheatre Pkwy",
        "MOUNTAIN VIEW, CA 94043",
        "UNITED STATES",
    ]
    assert address_format(address, with_country=False)[-1] == "MOUNTAIN VIEW, CA 94043"


def test_gb_postcode_is_upper_cased_and_written_below_the_town():
    address = address_validate(
        {
            "last_name": "Holmes",
            "company": "Consulting Detectives Ltd",
            "street_address_1": "221B Baker Street",
            "city": "London",
            "postal_code": "nw1 6xe",
            "country_code": "GB",
        }
    )
    assert (address.postal_code, address.country_area) == ("NW1 6XE", "")
    assert address_format(address) == [
        "Holmes",
        "Consulting Detectives Ltd",
        "221B Baker Street",
        "LONDON",
        "NW1 6XE",
        "UNITED KINGDOM",
    ]


def test_de_has_no_state_and_puts_the_postcode_before_the_city():
    address = address_validate(
        {
            "first_name": "Karl",
            "last_name": "Müller",
            "street_address_1": "Unter den Linden 77",
            "street_address_2": "Hinterhaus",
            "city": "Berlin",
            "postal_code": "10117",
            "country_code": "DE",
            "country_area": "Berlin",  # Germany's addresses have no state line: dropped
        }
    )
    assert address.country_area == ""
    assert address_format(address) == [
        "Karl Müller",
        "Unter den Linden 77",
        "Hinterhaus",
        "10117 BERLIN",
        "GERMANY",
    ]


def test_jp_prefecture_by_its_english_name_becomes_the_japanese_key():
    address = address_validate(
        {
            "last_name": "Tanaka",
            "street_address_1": "Chiyoda-ku, Chiyoda 1-1",
            "postal_code": "100-0001",
            "country_code": "jp",
            "country_area": "Tokyo",
        }
    )
    assert (address.country_area, address.region) == ("東京都", "JP-東京都")
    # the local format starts with the postcode; the Latin one spells the prefecture in Latin
    assert address_format(address) == [
        "〒100-0001",
        "東京都",
        "Chiyoda-ku, Chiyoda 1-1",
        "Tanaka",
        "JAPAN",
    ]
    assert address_format(address, latin=True) == [
        "Tanaka",
        "Chiyoda-ku, Chiyoda 1-1, TOKYO",
        "100-0001",
        "JAPAN",
    ]
    # Japan writes the city in the street lines: a form leaves that field out
    assert "city" not in address_fields_used("JP")
    assert "country_area" not in address_fields_used("DE")
    assert "city" in address_fields_used("US")


def test_missing_postcode_is_reported_with_the_country_word_for_it():
    data = {**GOOGLEPLEX, "postal_code": ""}
    assert _errors(data) == [("postal_code", "required", "Enter the ZIP code.")]


def test_bad_postcode_is_reported_with_an_example():
    assert _errors({**GOOGLEPLEX, "postal_code": "9404"}) == [
        ("postal_code", "invalid", "Enter a valid ZIP code, e.g. 95014.")
    ]
    # and a ZIP code of another state is refused too (California's start with 9)
    assert _errors({**GOOGLEPLEX, "postal_code": "10001"})[0][:2] == ("postal_code", "invalid")


def test_unknown_and_missing_country():
    assert _errors({**GOOGLEPLEX, "country_code": "XX"}) == [
        ("country_code", "invalid", "Choose a valid country.")
    ]
    assert _errors({**GOOGLEPLEX, "country_code": "USA"})[0][:2] == ("country_code", "invalid")
    assert _errors({**GOOGLEPLEX, "country_code": ""}) == [
        ("country_code", "required", "Enter the country.")
    ]


def test_every_problem_is_reported_at_once():
    # given: no name, no street, no town, a bad postcode and a bad phone number
    data = {"country_code": "GB", "postal_code": "NOT A CODE", "phone": "call me"}
    # then
    assert _errors(data) == [
        ("last_name", "required", "Enter the last name."),
        (
            "phone",
            "invalid",
            "Enter a valid phone number (digits, with + and the country code if abroad).",
        ),
        ("city", "required", "Enter the post town."),
        ("postal_code", "invalid", "Enter a valid postcode, e.g. EC1Y 8SY."),
        ("street_address_1", "required", "Enter the street address."),
    ]


def test_unknown_state_is_refused():
    assert _errors({**GOOGLEPLEX, "country_area": "Narnia"}) == [
        ("country_area", "invalid", "Choose a valid state.")
    ]


def test_too_long_fields_are_refused():
    assert _errors({**GOOGLEPLEX, "city": "x" * 129}) == [
        ("city", "max_length", "Use at most 128 characters.")
    ]


def test_a_pickup_point_needs_no_person_name():
    address = address_validate(
        {
            "company": "Fernhill",
            "street_address_1": "1420 SE Hawthorne Blvd",
            "city": "Portland",
            "country_area": "Oregon",
            "postal_code": "97214",
            "country_code": "US",
        },
        name_required=False,
    )
    assert (address.company, address.country_area, address.full_name) == ("Fernhill", "OR", "")


def test_to_dict_and_from_dict_round_trip():
    address = address_validate(GOOGLEPLEX)
    stored = address.to_dict()
    assert stored["country_area"] == "CA"
    assert Address.from_dict(stored) == address
    # stored snapshots may carry keys of later versions, or lack some: neither breaks reading
    assert Address.from_dict({"city": "Oslo", "extra": "x"}) == Address(city="Oslo")


def test_country_area_normalize():
    assert country_area_normalize("US", "new york") == "NY"
    assert country_area_normalize("CA", "QC") == "QC"
    assert country_area_normalize("US", "Bavaria") is None
    assert country_area_normalize("DE", "Bayern") is None  # no areas in Germany's data
    assert country_area_normalize("XX", "anything") is None


def test_prefixed_field_errors_nest_under_the_prefix():
    error = ApplicationFieldErrors(
        [FieldError(field="city", message="Enter the city.", code="required")],
        code="address_invalid",
    )
    nested = error.prefixed("shipping_address")
    assert [e.field for e in nested.errors] == ["shipping_address.city"]
    assert (nested.code, nested.message) == ("address_invalid", "Enter the city.")


def test_api_error_shape_has_one_entry_per_field_error(db):
    # given: what address_validate raises for a form with two problems, nested in a payload
    with pytest.raises(ApplicationFieldErrors) as caught:
        address_validate({**GOOGLEPLEX, "city": "", "postal_code": "x"})
    # when
    response = exception_handler(caught.value.prefixed("shipping_address"), {})
    # then
    assert response.status_code == 400
    assert response.data == {
        "type": "validation_error",
        "errors": [
            {
                "code": "required",
                "detail": "Enter the city.",
                "attr": "shipping_address.city",
            },
            {
                "code": "invalid",
                "detail": "Enter a valid ZIP code, e.g. 95014.",
                "attr": "shipping_address.postal_code",
            },
        ],
    }


class _AddressForm(forms.Form):
    city = forms.CharField(required=False)
    zip_code = forms.CharField(required=False)


def test_form_helper_puts_each_error_on_its_field():
    # given
    form = _AddressForm(data={"city": "", "zip_code": "x"})
    assert form.is_valid()
    error = ApplicationFieldErrors(
        [
            FieldError(field="shipping_address.city", message="Enter the city.", code="required"),
            FieldError(field="shipping_address.postal_code", message="Bad.", code="invalid"),
            FieldError(field="shipping_address.phone", message="No phone.", code="invalid"),
        ]
    )
    # when
    form_errors_add(form, error, prefix="shipping_address.", field_map={"postal_code": "zip_code"})
    # then: each on its field; a field the form lacks lands on the form as a whole
    assert form.errors["city"] == ["Enter the city."]
    assert form.errors["zip_code"] == ["Bad."]
    assert form.non_field_errors() == ["No phone."]


def test_form_helper_takes_a_single_field_error_too():
    form = _AddressForm(data={"city": "Oslo"})
    assert form.is_valid()
    form_errors_add(form, ApplicationError("Not here.", code="x", field="city"))
    form_errors_add(form, ApplicationError("Try later.", code="y"))
    assert form.errors["city"] == ["Not here."]
    assert form.non_field_errors() == ["Try later."]
