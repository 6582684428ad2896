"""Browser contexts as the portal's readers have them."""


def reader_context(browser, width: int, language: str):
    """A browser context as a reader at ``width`` px in ``language`` ("es" or "en") has it: below 600 px a
    phone (touch, mobile viewport 740 px high), else a desktop window 900 px high."""
    phone = width < 600
    return browser.new_context(
        viewport={"width": width, "height": 740 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        locale="en-US" if language == "en" else "es-PE",
    )
