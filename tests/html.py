"""Reading pages and forms as a visitor's browser would."""

from copy import copy

from bs4 import BeautifulSoup


def text_of(node) -> str:
    """Visible text with whitespace folded, as a reader sees it."""
    return " ".join(node.get_text(" ").split())


def seen_text_of(node) -> str:
    """``text_of`` without the words only screen readers hear (``.visually-hidden``)."""
    node = copy(node)
    for hidden in node.select(".visually-hidden"):
        hidden.decompose()
    return text_of(node)


def form_fields(form) -> dict:
    """What a browser submits for an untouched form: ``{name: value}``, a list for multiple selects."""
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or "__prefix__" in name:
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.name == "select":
            chosen = [
                option.get("value", option.text) for option in element.find_all("option") if option.has_attr("selected")
            ]
            data[name] = chosen if element.has_attr("multiple") else (chosen[0] if chosen else "")
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        elif element.get("type") not in ("submit", "button", "file", "reset", "image"):
            data[name] = element.get("value", "")
    return data


def form_data(response, selector: str) -> dict:
    """The fields of the form matching ``selector`` in a test-client response."""
    assert response.status_code == 200, response.status_code
    form = BeautifulSoup(response.content, "html.parser").select_one(selector)
    assert form is not None, f"no form {selector}"
    return form_fields(form)
