"""End to end: an editor adds a Buena Práctica in the admin; a visitor finds it everywhere."""

import re

import pytest

from tests.servers import EDITOR

pytestmark = pytest.mark.browser

TITLE = "Mercados de papa nativa en Huancavelica"


def choose_autocomplete(page, field: str, text: str) -> None:
    """Pick an option in a Django admin autocomplete (select2) field, as a person does."""
    page.click(f"#select2-id_{field}-container, .field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_adds_a_practice_and_a_visitor_finds_it(portal_url, browser):
    editor = browser.new_context(locale="es-PE")
    page = editor.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}"))
    page.goto(f"{portal_url}/admin/login/")
    page.fill("#id_username", EDITOR["username"])
    page.fill("#id_password", EDITOR["password"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{portal_url}/admin/")

    page.goto(f"{portal_url}/admin/practices/practice/add/")
    page.locator("#id_title").press_sequentially(TITLE)  # keystrokes: the admin fills the slug from them
    assert page.input_value("#id_slug") == "mercados-de-papa-nativa-en-huancavelica"
    page.fill("#id_summary", "Productores de papa nativa venden en mercados regionales con apoyo técnico.")
    page.fill("#id_body", "La práctica **conecta** a productores de Huancavelica con mercados regionales.")
    page.fill("#id_award_year", "2024")
    choose_autocomplete(page, "category", "Promoción del Desarrollo Económico")
    choose_autocomplete(page, "institution", "Ministerio de Agricultura")
    page.fill("#id_programme", "Papa nativa")
    page.select_option("#id_scope", "regional")
    page.click(".field-departments .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Huancavelica")
    page.locator(".select2-results__option", has_text="Huancavelica").first.click()
    page.fill("#id_key_figures-0-value", "450")
    page.fill("#id_key_figures-0-label", "familias productoras")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert errors == [], errors  # the admin works under the strict Content-Security-Policy
    editor.close()

    visitor = browser.new_context(locale="es-PE")
    page = visitor.new_page()
    page.goto(f"{portal_url}/practicas/?q=huancavelica")
    page.click(f"text={TITLE}")
    assert page.locator("h1").inner_text() == TITLE
    assert "450 familias productoras" in re.sub(r"\s+", " ", page.locator(".practice-figures").inner_text())
    assert page.locator(".department-context a", has_text="Huancavelica").count() == 1

    feed = page.request.get(f"{portal_url}/practicas/feed/rss/").text()
    assert TITLE in feed

    page.goto(f"{portal_url}/migracion/huancavelica/")
    assert page.locator("#practicas + * a, section[aria-labelledby=practicas] a", has_text=TITLE).count() >= 1
    visitor.close()
