"""Photos and documents of a practice as editors and readers meet them (portal/core/media.py, practices/media.py):
uploaded in the admin, shown on the page, the catalogue, the feeds and shared links, served with safe headers only
to whom may read them, kept through deletion and recovery, orphans removed."""

import io
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from practices.models import Document, Photo, Practice, PracticePhoto
from tests.factories import document, pdf_bytes, photo, photo_bytes
from tests.html import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ana", password="x", is_staff=True, first_name="Ana")
    user.groups.add(Group.objects.get(name="Editores"))
    client.force_login(user)
    return client


def test_an_editor_uploads_a_phone_photo_and_adds_it_to_a_practice(editor, media_root, seed):
    practice = seed.sierra_sur
    upload = SimpleUploadedFile("IMG_20260314_101512.jpg", photo_bytes(orientation=6, gps=True), "image/jpeg")
    response = editor.post(
        reverse("admin:practices_photo_add"),
        {"file": upload, "alt_text": "Comuneros en Chumbivilcas", "credit": "Foto: Ana Quispe", "licence": "cc-by-4.0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Photo.objects.get()
    # Upright as it was taken (the camera was turned: 1600 × 1000 pixels, orientation 6), without EXIF, GPS or camera.
    assert (stored.width, stored.height) == (1000, 1600)
    original = Image.open(stored.file.path)
    assert not original.getexif()
    assert original.getpixel((980, 20))[0] < 60  # the dark corner, top-left before turning, is now top-right
    names = {path.relative_to(media_root).as_posix() for path in media_root.rglob("*.*")}
    folder = stored.file.name.removesuffix(".jpg")
    assert names == {stored.file.name, f"{folder}/og.jpg"} | {
        f"{folder}/{width}.{extension}" for width in (160, 320, 640, 960, 1000) for extension in ("webp", "jpg")
    }
    assert Image.open(media_root / f"{folder}/og.jpg").size == (1200, 630)

    # The photo library's list says where each photo is used; the practice form adds it from the library.
    PracticePhoto.objects.create(practice=practice, photo=stored)
    listing = editor.get(reverse("admin:practices_photo_changelist")).content.decode()
    assert "1 práctica" in listing
    form = editor.get(reverse("admin:practices_practice_change", args=[practice.pk])).content.decode()
    assert "Comuneros en Chumbivilcas (Foto: Ana Quispe)" in form and 'enctype="multipart/form-data"' in form


def test_readers_see_the_photos_and_documents_on_the_page_the_catalogue_and_the_feeds(client, media_root, seed):
    practice = seed.sierra_sur
    lead = photo(practice, alt_text="Comuneros en Chumbivilcas", alt_text_en="Farmers in Chumbivilcas")
    photo(practice, content=photo_bytes(size=(1200, 900)), alt_text="Una feria", credit="Foto: Mincetur")
    document(practice, title="Postulación al premio 2009", title_en="Award application, 2009")

    html = client.get(practice.get_absolute_url()).content.decode()
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert len(figures) == 2
    assert 'alt="Comuneros en Chumbivilcas"' in figures[0] and 'fetchpriority="high"' in figures[0]
    assert 'loading="lazy"' in figures[1]  # below the fold
    assert 'type="image/webp"' in figures[0] and 'width="1000" height="1600"' in figures[0]
    assert "Foto: Ana Quispe" in figures[0] and "CC BY 4.0" in figures[0]
    assert re.search(r"Postulación al premio 2009</a>\s*<span class=\"note\">\(PDF, 1 KB, 2 páginas\)", html)
    share = lead.share.url
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{share}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html

    english = client.get("/en" + practice.get_absolute_url()).content.decode()
    assert 'alt="Farmers in Chumbivilcas"' in english and "Award application, 2009" in english

    catalogue = client.get(reverse("practices:index")).content.decode()
    thumbnail = re.search(r'<span class="thumbnail">.*?</span>', catalogue, re.S).group(0)
    assert 'alt=""' in thumbnail and "/160.webp 160w" in thumbnail and "1280" not in thumbnail

    feed = feedparser.parse(client.get(reverse("practices:feed-rss")).content)
    item = next(entry for entry in feed.entries if entry.link.endswith(practice.get_absolute_url()))
    enclosure = item.enclosures[0]
    assert enclosure.type == "image/jpeg" and enclosure.href.endswith("/960.jpg")
    served = client.get(enclosure.href.removeprefix("http://127.0.0.1:8000"))
    assert int(enclosure.length) == len(b"".join(served.streaming_content))
    atom = feedparser.parse(client.get(reverse("practices:feed-atom")).content)
    assert any(link.rel == "enclosure" for entry in atom.entries for link in entry.links)


def test_media_files_are_served_only_to_whom_may_read_them_with_safe_headers(client, admin_client, media_root, seed):
    published, draft = seed.sierra_sur, seed.banano
    shown = photo(published)
    attached = document(published, title="Informe de evaluación 2009")
    unpublished = document(draft, title="Borrador", content=pdf_bytes(pages=1))
    Practice.objects.filter(pk=draft.pk).update(status=Practice.Status.DRAFT)

    image = client.get(shown.picture().webp[0].url)
    assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    assert image["Cache-Control"] == "public, max-age=31536000, immutable, s-maxage=60"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "Vary" not in image and "Set-Cookie" not in image
    assert client.get(shown.picture().webp[0].url, HTTP_IF_NONE_MATCH=image["ETag"]).status_code == 304

    pdf = client.get(attached.file.url)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="informe-de-evaluacion-2009.pdf"'

    # A draft's document: not for visitors; signed-in staff get it, never cached.
    assert client.get(unpublished.file.url).status_code == 404
    staff = admin_client.get(unpublished.file.url)
    assert staff.status_code == 200 and staff["Cache-Control"] == "private, no-store"
    # Nothing else under /media/: a rendition that is not one, a file no row refers to, a path out of the folder.
    folder = shown.file.name.removesuffix(".jpg")
    for path in (f"{folder}/123.webp", f"practicas/fotos/{'0' * 64}.jpg", "../db.sqlite3", "practicas/../../x.jpg"):
        assert client.get(f"/media/{path}").status_code == 404, path
    attached.delete()  # only the history refers to it now: kept, but not served
    assert client.get(attached.file.url).status_code == 404


def test_deleting_keeps_the_media_a_practice_can_be_recovered_with_and_orphans_are_removed(
    admin_client, media_root, seed
):
    practice = seed.sierra_sur
    shown = photo(practice)
    attached = document(practice)
    # A photo in use cannot be deleted: the confirmation names the practices that use it.
    page = admin_client.get(reverse("admin:practices_photo_delete", args=[shown.pk])).content.decode()
    assert "Sierra Sur: Gestores de su propio desarrollo" in page
    admin_client.post(reverse("admin:practices_photo_delete", args=[shown.pk]), {"post": "yes"})
    assert Photo.objects.filter(pk=shown.pk).exists()

    admin_client.post(reverse("admin:practices_practice_delete", args=[practice.pk]), {"post": "yes"})
    assert not Practice.objects.filter(pk=practice.pk).exists()
    admin_client.post(reverse("admin:practices_photo_delete", args=[shown.pk]), {"post": "yes"})  # unused now
    assert not Photo.objects.filter(pk=shown.pk).exists()
    stray = media_root / "practicas" / "fotos" / f"{'a' * 64}.jpg"
    stray.write_bytes(photo_bytes())  # a file no row refers to (an upload whose save failed)
    call_command("clean_media", "--min-age-hours", "0", stdout=io.StringIO())
    assert not stray.exists()
    assert (media_root / shown.file.name).exists() and (media_root / attached.file.name).exists()

    # «Recuperar eliminadas»: the practice comes back with its photo (restored to the library) and its document.
    deleted = BeautifulSoup(admin_client.get(reverse("admin:practices_practice_deleted")).content, "html.parser")
    restore_url = deleted.find("a", string="Recuperar")["href"]
    admin_client.post(restore_url, form_data(admin_client.get(restore_url), "form#historicalpractice_form"))
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert list(Practice.objects.get(pk=practice.pk).photos.values_list("photo_id", flat=True)) == [shown.pk]
    assert Document.objects.get(practice_id=practice.pk).file.name == attached.file.name
    assert Photo.objects.filter(pk=shown.pk).exists()
    assert admin_client.get(shown.file.url).status_code == 200
