"""Two editors at once, in a real browser, as they meet the faults of issue 22 (items 2, 3 and 5).

One server and one browser for the module: two browser contexts are two editors.
- Lost update: both open the same practice; the second save, made on an out-of-date form, is refused naming who
  changed what and when, and what the second editor typed is still in the form; saving again replaces it.
- Typed text: the server ends the session while the editor writes (signed out in another tab); the save lands
  on the log-in page; after signing in, the form offers the text back and it is saved.
- Pasted text: a paste event carrying Word's and Google Docs' HTML becomes Markdown (lists, table, line break,
  bold, link); an image is left out with a message.
Screenshots for a field trial: PORTAL_SCREENSHOTS (tests/browser/conftest.py, ``shot``).
"""

import pytest

from tests.browser.conftest import shot
from tests.servers import EDITOR

pytestmark = pytest.mark.browser


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
<h2>Resultados</h2>
<p class=MsoNormal>Primera línea<br>segunda línea con <b>negrita</b> y <i>cursiva</i>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-list:Ignore'>·<span>&nbsp;&nbsp;&nbsp;</span></span><![endif]>Ferias</p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-list:Ignore'>·<span>&nbsp;&nbsp;&nbsp;</span></span><![endif]>Créditos</p>
<p class=MsoListParagraphCxSpFirst style='mso-list:l1 level1 lfo2'><span
style='mso-list:Ignore'>1.<span>&nbsp;</span></span>Uno</p>
<p class=MsoListParagraphCxSpLast style='mso-list:l1 level1 lfo2'><span
style='mso-list:Ignore'>2.<span>&nbsp;</span></span>Dos</p>
<table class=MsoTableGrid><tr><td><p class=MsoNormal>Año</p></td><td><p class=MsoNormal>Familias</p></td></tr>
<tr><td><p class=MsoNormal>2009</p></td><td><p class=MsoNormal>1,200</p></td></tr></table>
<p class=MsoNormal><img width=100 src="file:///C:/Users/ana/foto.png"></p>
</body></html>"""

GOOGLE_DOCS_HTML = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b"><p dir="ltr">
<span style="font-weight:700;">Importante</span><span style="font-weight:400;"> y </span><span
style="font-style:italic;font-weight:400;">leído</span><span> en <a href="https://www.gob.pe/">gob.pe</a></span></p>
<ul><li dir="ltr" aria-level="1"><p dir="ltr"><span>Punto uno</span></p></li><ul><li aria-level="2"><p><span>Sub
</span></p></li></ul><li aria-level="1"><p><span>Punto dos</span></p></li></ul></b>"""


def sign_in(page, base: str, user: dict) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user["username"])
    page.fill("#id_password", user["password"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def paste(page, selector: str, html: str) -> None:
    page.eval_on_selector(
        selector,
        """(el, html) => { el.focus(); const data = new DataTransfer(); data.setData('text/html', html);
        data.setData('text/plain', 'texto'); el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data,
        bubbles: true, cancelable: true})); }""",
        html,
    )


def test_two_editors_an_expired_session_and_a_paste_lose_nothing(portal_url, browser):
    editors = [
        browser.new_context(locale="es-PE", viewport=size)
        for size in ({"width": 1280, "height": 900}, {"width": 768, "height": 1024})
    ]
    ana, beto = (context.new_page() for context in editors)
    for page in (ana, beto):
        sign_in(page, portal_url, EDITOR)
    ana.goto(f"{portal_url}/admin/practices/practice/")
    ana.click("#result_list tbody tr th a")
    change = ana.url
    beto.goto(change)

    # Item 5: Word's and Google Docs' HTML pasted into the text become Markdown; the image is refused.
    ana.fill("#id_body", "")
    paste(ana, "#id_body", WORD_HTML)
    body = ana.input_value("#id_body")
    for markdown in (
        "## Resultados",
        "Primera línea  \nsegunda línea",
        "**negrita**",
        "*cursiva*",
        "-   Ferias\n-   Créditos",
        "1.  Uno\n2.  Dos",
        "| Año | Familias |",
        "| 2009 | 1,200 |",
    ):
        assert markdown in body, (markdown, body)
    assert "foto" not in body
    assert "no llevan imágenes. Las fotos se suben en «Fotos»" in ana.inner_text(".paste-notice")
    ana.click("summary:has-text('Versión en inglés')")
    ana.fill("#id_body_en", "")
    paste(ana, "#id_body_en", GOOGLE_DOCS_HTML)
    body_en = ana.input_value("#id_body_en")
    for markdown in (
        "**Importante** y *leído* en [gob.pe](https://www.gob.pe/)",
        "-   Punto uno\n    -   Sub",
        "-   Punto dos",
    ):
        assert markdown in body_en, (markdown, body_en)
    assert not body_en.endswith("**")  # Google Docs' wrapping <b> is not bold
    shot(ana, "1-pasted")

    # Item 2: Ana saves first; Beto's save on his older form is refused, his text kept; saving again replaces it.
    ana.fill("#id_summary", "Resumen nuevo de Ana.")
    ana.click("input[name=_save]")
    ana.wait_for_selector(".messagelist .success")
    beto.fill("#id_summary", "Resumen de Beto, escrito a la vez.")
    beto.click("input[name=_save]")
    beto.wait_for_selector(".errorlist.nonfield")
    refusal = beto.inner_text(".errorlist.nonfield")
    assert "cambió mientras usted lo editaba" in refusal and "Resumen" in refusal and "Texto" in refusal
    assert beto.input_value("#id_summary") == "Resumen de Beto, escrito a la vez."
    shot(beto, "2-conflict-768")
    beto.click("input[name=_save]")
    beto.wait_for_selector(".messagelist .success")

    # Item 3: the server ends Beto's session while he writes; the save lands on the log-in page; signed in
    # again, the form offers his text back.
    beto.goto(change)
    beto.fill("#id_summary", "Texto largo que Beto escribió mientras su sesión vencía.")
    beto.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('portal-form:'))")
    other_tab = editors[1].new_page()  # the session ends on the server (signed out from another tab)
    other_tab.goto(f"{portal_url}/admin/")
    with other_tab.expect_navigation():  # signed out; closed only then: a page closed while its navigation
        other_tab.click("#logout-form button")  # commits can hang Chromium for good (microsoft/playwright#42068)
    other_tab.close()
    beto.click("input[name=_save]")
    beto.wait_for_selector("#login-form")
    beto.fill("#id_username", EDITOR["username"])
    beto.fill("#id_password", EDITOR["password"])
    beto.click("input[type=submit]")
    beto.wait_for_selector(".editing-recover")
    shot(beto, "3-recover")
    beto.click("text=Recuperar lo que escribí")
    assert beto.input_value("#id_summary") == "Texto largo que Beto escribió mientras su sesión vencía."
    beto.click("input[name=_save]")
    beto.wait_for_selector(".messagelist .success")
    beto.goto(change)
    assert beto.input_value("#id_summary") == "Texto largo que Beto escribió mientras su sesión vencía."
    assert beto.locator(".editing-recover").count() == 0  # saved: nothing left to offer

    for context in editors:
        context.close()
