"""Layer 2: ReflexMountView, through Django's test client and the real urls.py."""

import gzip
import json
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from .conftest import ROUTES, html, write_files

INDEX = "<html><head><title>{{ request.path }}</title></head><body>index</body></html>"

# Every SPA document starts a session (reflex_django.visitors): a database write.
pytestmark = pytest.mark.django_db


def test_missing_bundle_is_a_404_that_names_both_commands(client, bundle_dirs):
    response = client.get("/")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "The compiled Reflex SPA was not found. Looked for index.html in:\n"
        f"    {bundle_dirs.staged}\n"
        f"    {bundle_dirs.build}\n"
        f"    {bundle_dirs.legacy}\n"
        "\n"
        "Build and stage it with:\n"
        "    python manage.py export_reflex --frontend-only --no-zip --stage-to-static-root\n"
        "or serve with:\n"
        "    python manage.py run_reflex\n"
        "which builds it automatically when it is missing or older than the code.\n"
    )


@pytest.mark.parametrize("winner", ["staged", "build", "legacy"])
def test_lookup_order_staged_then_build_then_legacy(client, bundle_dirs, winner):
    order = ["staged", "build", "legacy"]
    for name in order[order.index(winner) :]:
        write_files(getattr(bundle_dirs, name), {"index.html": html(f"from {name}")})
    assert client.get("/").content.decode() == html(f"from {winner}")


def test_a_directory_without_index_html_is_skipped(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"about.html": html("stale")})
    write_files(bundle_dirs.build, {"index.html": html("build")})
    assert client.get("/").content.decode() == html("build")


def test_an_index_html_that_is_a_directory_is_no_bundle(client, bundle_dirs):
    (bundle_dirs.staged / "index.html").mkdir(parents=True)
    write_files(bundle_dirs.build, {"index.html": html("build")})
    assert client.get("/").content.decode() == html("build")


def test_prerendered_pages_and_the_spa_fallback(client, bundle_dirs):
    write_files(
        bundle_dirs.staged,
        {
            "index.html": html("index"),
            "about.html": html("about"),
            "cart/index.html": html("cart"),
            "__spa-fallback.html": html("fallback"),
        },
    )
    assert client.get("/").content.decode() == html("index")
    assert client.get("/about").content.decode() == html("about")
    assert client.get("/about/").content.decode() == html("about")
    assert client.get("/cart").content.decode() == html("cart")
    assert client.get("/products/mug").content.decode() == html("fallback")
    assert client.get("/no/such/page").content.decode() == html("fallback")


def test_without_a_fallback_shell_index_html_boots_the_spa(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("index")})
    response = client.get("/products/mug")
    assert response.status_code == 200
    assert response.content.decode() == html("index")


def test_html_is_rendered_through_the_template_engine(client, bundle_dirs, django_user_model):
    write_files(
        bundle_dirs.staged,
        {
            "index.html": html(
                "<p>{{ request.path }}|{{ user.is_authenticated }}</p>{% csrf_token %}"
            )
        },
    )
    response = client.get("/somewhere")
    body = response.content.decode()
    assert "<p>/somewhere|False</p>" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "no-cache" in response["Cache-Control"]


def test_inline_scripts_and_styles_come_out_byte_identical(client, bundle_dirs):
    script = (
        '<script type="module">const t = `{{ x }}`; if (a) {% if %} {# c #}'
        " {% endverbatim %} {{</script>"
    )
    style = "<style>.a{{color:red}} {% x %}</style>"
    write_files(
        bundle_dirs.staged, {"index.html": html(f"{script}<p>{{{{ 1|add:1 }}}}</p>{style}")}
    )
    body = client.get("/").content.decode()
    assert script in body and style in body
    assert "<p>2</p>" in body


def test_a_comment_outside_scripts_cannot_silently_drop_a_script(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("<p>{#</p><script>x</script><p>#}</p>")})
    with pytest.raises(ImproperlyConfigured) as error:
        client.get("/")
    assert str(error.value) == (
        f"{bundle_dirs.staged / 'index.html'} has an unbalanced '{{{{' or '{{%' outside its "
        "scripts, which swallowed part of the page. Fix the page, or set "
        "REFLEX_DJANGO_RENDER_SPA_VIA_TEMPLATE_ENGINE = False."
    )


def test_a_document_is_compiled_once_until_it_changes(client, bundle_dirs, monkeypatch):
    from reflex_django import spa_template

    compiled = []
    real_compile = spa_template.compile_spa_template
    monkeypatch.setattr(
        spa_template,
        "compile_spa_template",
        lambda source: compiled.append(source) or real_compile(source),
    )
    write_files(bundle_dirs.staged, {"index.html": html("{{ 1|add:1 }}")})
    assert [client.get("/").content.decode() for _ in range(3)] == [html("2")] * 3
    assert len(compiled) == 1


def test_template_rendering_can_be_turned_off(client, bundle_dirs, settings):
    settings.REFLEX_DJANGO_RENDER_SPA_VIA_TEMPLATE_ENGINE = False
    write_files(bundle_dirs.staged, {"index.html": INDEX})
    assert client.get("/").content.decode() == INDEX


def test_a_rebuilt_document_is_not_served_from_the_template_cache(client, bundle_dirs):
    index = write_files(bundle_dirs.staged, {"index.html": html("one")}) / "index.html"
    assert client.get("/").content.decode() == html("one")
    index.write_text(html("two, longer"), encoding="utf-8")
    assert client.get("/").content.decode() == html("two, longer")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("assets/app-3f2a.js", "text/javascript"),
        ("assets/app-3f2a.css", "text/css"),
        ("logo.png", "image/png"),
        ("assets/app-3f2a.js.map", "application/json"),
        ("sitemap.xml", "text/xml"),
        ("assets/font-3f2a.woff2", "font/woff2"),
    ],
)
def test_assets_are_streamed_untouched_with_their_content_type(
    client, bundle_dirs, name, content_type
):
    payload = b"{{ not a template }} \x00\xff"
    write_files(bundle_dirs.staged, {"index.html": html("i"), name: payload})
    response = client.get(f"/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response.content == payload


def test_hashed_assets_are_immutable_and_gzip_twins_are_used(client, bundle_dirs):
    code = b"console.log('hello');" * 20
    write_files(
        bundle_dirs.staged,
        {
            "index.html": html("i"),
            "assets/a-Dfwd_-i3.js": code,
            "assets/a-Dfwd_-i3.js.gz": gzip.compress(code),
        },
    )
    plain = client.get("/assets/a-Dfwd_-i3.js")
    zipped = client.get("/assets/a-Dfwd_-i3.js", headers={"Accept-Encoding": "gzip, br"})
    assert plain.content == code
    assert plain["Cache-Control"] == "public, max-age=31536000, immutable"
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Type"].startswith("text/javascript")
    assert gzip.decompress(zipped.content) == code
    assert zipped["Vary"] == plain["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/missing-1.js",
        "/assets/missing",  # under assets/, even without an extension
        "/favicon.ico",
        "/static/missing.js",
        "/static/some-page",  # STATIC_URL is Django's, extension or not
        "/uploads/report",  # so is MEDIA_URL
    ],
)
def test_missing_files_are_a_404_not_the_spa(client, bundle_dirs, settings, path):
    # Not /media/: config/urls.py serves that with static() when it was
    # imported under DEBUG, and the mount view's own rule would go untested.
    settings.MEDIA_URL = "/uploads/"
    write_files(bundle_dirs.staged, {"index.html": html("i")})
    assert client.get(path).status_code == 404


def test_a_missing_html_page_is_an_spa_route_not_a_missing_file(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("spa")})
    response = client.get("/old-page.html")
    assert response.status_code == 200 and response.content.decode() == html("spa")


def test_an_html_file_of_the_bundle_goes_through_the_template_engine(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("i"), "extra.html": html("{{ 1|add:1 }}")})
    response = client.get("/extra.html")
    assert response.content.decode() == html("2")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_file_whose_name_starts_like_a_slash_is_found(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("i"), "X-1.js": "x()"})
    assert client.get("/X-1.js").content == b"x()"


def test_the_404s_say_what_was_missing(rf, bundle_dirs):
    from django.http import Http404

    from reflex_django.views import ReflexMountView

    write_files(bundle_dirs.staged, {"index.html": html("i")})
    view = ReflexMountView(django_prefixes=("/api",))
    with pytest.raises(Http404) as missing_file:
        view.get(rf.get("/assets/gone-1.js"))
    assert str(missing_file.value) == "No file '/assets/gone-1.js' in the compiled SPA."
    with pytest.raises(Http404) as missing_route:
        view.get(rf.get("/api/nothing/"))
    assert str(missing_route.value) == "No Django route matches '/api/nothing/'."


def test_the_slash_redirect_follows_the_requests_own_urlconf(rf, bundle_dirs):
    """A middleware may route a request elsewhere (request.urlconf): honour it."""
    from reflex_django.views import ReflexMountView

    write_files(bundle_dirs.staged, {"index.html": html("i")})
    request = rf.get("/backoffice")
    request.urlconf = "tests.urls_custom_admin"
    response = ReflexMountView(django_prefixes=("/backoffice",)).get(request)
    assert response.status_code == 301 and response["Location"] == "/backoffice/"


def test_without_append_slash_a_bare_django_prefix_is_a_404(client, bundle_dirs, settings):
    settings.APPEND_SLASH = False
    write_files(bundle_dirs.staged, {"index.html": html("spa")})
    assert client.get("/admin").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/assets/link.txt",
        "/.hidden.json",
        "/%00.js",
        "/..\\secret.txt",
    ],
)
def test_nothing_outside_the_bundle_is_ever_served(client, bundle_dirs, tmp_path, path):
    secret = write_files(tmp_path / "static", {"secret.txt": "TOP SECRET"}) / "secret.txt"
    write_files(bundle_dirs.staged, {"index.html": html("i"), ".hidden.json": '{"stamp": 1}'})
    (bundle_dirs.staged / "assets").mkdir()
    os.symlink(secret, bundle_dirs.staged / "assets" / "link.txt")
    response = client.get(path)
    body = response.content
    assert b"TOP SECRET" not in body
    assert b"root:" not in body
    assert b'"stamp"' not in body


def test_a_path_under_a_django_prefix_is_a_django_404_not_the_spa(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("spa")})
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert b"spa" not in response.content


def test_a_django_prefix_without_its_slash_redirects(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("spa")})
    response = client.get("/admin")
    assert response.status_code == 301
    assert response["Location"] == "/admin/"


def test_only_safe_methods_reach_the_spa(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("spa")})
    assert client.head("/about").status_code == 200
    response = client.post("/about")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, GZIP;q=0.5", True),
        ("*", True),
        ("", False),
        ("br", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, br", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("*;q=0, gzip;q=0.1", True),
        ("gzip;q=nonsense", False),
        ("gzip;q=0=1", False),
        ("x-gzip", True),
        ("notgzip", False),
    ],
)
def test_gzip_is_sent_only_where_accept_encoding_allows_it(
    client, bundle_dirs, accept_encoding, gzipped
):
    code = b"console.log('hello');" * 20
    write_files(
        bundle_dirs.staged,
        {
            "index.html": html("i"),
            "assets/a-Dfwd_-i3.js": code,
            "assets/a-Dfwd_-i3.js.gz": gzip.compress(code),
        },
    )
    response = client.get("/assets/a-Dfwd_-i3.js", headers={"Accept-Encoding": accept_encoding})
    assert response.get("Content-Encoding") == ("gzip" if gzipped else None)
    assert (gzip.decompress(response.content) if gzipped else response.content) == code


@pytest.mark.parametrize(
    "path", ["/" + "a" * 300, "/assets/" + "b" * 300 + ".js", "/x/" + "c" * 5000]
)
def test_a_name_too_long_for_the_filesystem_is_a_404_or_the_spa_never_a_500(
    client, bundle_dirs, path
):
    write_files(bundle_dirs.staged, {"index.html": html("i")})
    response = client.get(path)
    assert response.status_code == (404 if path.endswith(".js") else 200)


def test_hidden_files_are_never_served_from_any_folder(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("i"), "assets/.secret.js": "s()"})
    assert client.get("/assets/.secret.js").status_code == 404


def test_a_name_with_a_backslash_is_never_served(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("i"), "a\\b.js": "b()"})
    assert client.get("/a%5Cb.js").status_code == 404


def test_only_slashes_are_trimmed_from_a_prerendered_route(client, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": html("i"), "Xray.html": html("xray")})
    assert client.get("/Xray").content.decode() == html("xray")


def test_without_static_root_only_reflex_build_folders_are_searched(settings, tmp_path):
    from reflex_django.bundle import bundle_candidates, staged_bundle_dir

    settings.STATIC_ROOT, settings.BASE_DIR = None, tmp_path
    assert staged_bundle_dir() is None
    assert bundle_candidates() == [
        tmp_path / ".web" / "build" / "client",
        tmp_path / ".web" / "_static",
    ]


# -- Unknown paths, sessions and messages ---------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about",
        "/about/",
        "/products/mug",
        "/products/mug/",
        "/docs/a",
        "/docs/a/b/c",
        "/help",
        "/help/",
        "/help/a/b",
    ],
)
def test_a_route_of_the_app_answers_200(client, routed_bundle, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/nope", "/abouts", "/x/about", "/products", "/products/", "/products/a/b", "/docs"]
)
def test_any_other_path_gets_the_spa_with_a_404(client, routed_bundle, path):
    response = client.get(path)
    assert response.status_code == 404
    # The client router still draws its not-found page from the fallback shell.
    assert response.content.decode() == html("fallback")
    assert "no-cache" in response["Cache-Control"]


def test_a_route_table_that_cannot_be_read_means_every_path_is_a_route(client, routed_bundle):
    (routed_bundle / ".reflex-routes.json").write_text("{not json")
    assert client.get("/nope").status_code == 200
    (routed_bundle / ".reflex-routes.json").unlink()
    assert client.get("/nope").status_code == 200


def test_a_new_route_table_is_read_when_the_bundle_changes(client, routed_bundle):
    assert client.get("/new").status_code == 404
    table = routed_bundle / ".reflex-routes.json"
    table.write_text(json.dumps([*ROUTES, "/new"]))
    os.utime(table, ns=(1, 1))  # a new mtime, even on a coarse clock
    assert client.get("/new").status_code == 200


def test_the_route_table_is_never_served(client, routed_bundle):
    assert client.get("/.reflex-routes.json").status_code == 404


def test_a_document_starts_a_session_with_a_visitor_id(client, bundle_dirs):
    from django.contrib.sessions.models import Session

    write_files(bundle_dirs.staged, {"index.html": html("index"), "app.js": "x"})
    assert "sessionid" not in client.get("/app.js").cookies  # assets start nothing
    first = client.get("/")
    cookie = first.cookies["sessionid"]
    assert cookie["httponly"] is True
    visitor = Session.objects.get(pk=cookie.value).get_decoded()["reflex_django.visitor"]
    assert len(visitor) == 32  # 24 random bytes
    # The next document keeps the same session and visitor.
    assert "sessionid" not in client.get("/about").cookies
    assert client.session["reflex_django.visitor"] == visitor


def test_a_returning_visitors_document_costs_no_database_query(
    client, bundle_dirs, django_assert_num_queries
):
    """The session comes from the cache (SESSION_ENGINE is cached_db)."""
    write_files(bundle_dirs.staged, {"index.html": html("{{ user.is_authenticated }}")})
    client.get("/")  # the first visit writes the session
    with django_assert_num_queries(0):
        assert client.get("/products/mug").content.decode() == html("False")


def test_django_messages_reach_the_documents_head_once(client, bundle_dirs, rf):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    write_files(bundle_dirs.staged, {"index.html": html("index")})
    # What a Django view's messages.success() and redirect leave behind.
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.SUCCESS, 'Order 12 placed <"ok">')
    storage.add(constants.ERROR, "Out of stock")
    redirect = HttpResponse()
    storage.update(redirect)
    client.cookies["messages"] = redirect.cookies["messages"].value
    body = client.get("/").content.decode()
    assert body == (
        "<!DOCTYPE html><html><head>"
        '<meta name="django-message" content="Order 12 placed &lt;&quot;ok&quot;&gt;" '
        'data-level="success">'
        '<meta name="django-message" content="Out of stock" data-level="error">'
        "</head><body>index</body></html>"
    )
    assert "django-message" not in client.get("/").content.decode()  # shown once


def test_a_paths_answer_is_worked_out_once_per_build(client, bundle_dirs, monkeypatch):
    from reflex_django import views

    looked_up = []
    real = views.file_in_bundle
    monkeypatch.setattr(
        views, "file_in_bundle", lambda bundle, name: looked_up.append(name) or real(bundle, name)
    )
    index = write_files(bundle_dirs.staged, {"index.html": html("i")}) / "index.html"
    assert [client.get("/cart").content.decode() for _ in range(3)] == [html("i")] * 3
    assert looked_up == ["cart"]
    # A build writes a prerendered page and a new index.html: both are seen.
    write_files(bundle_dirs.staged, {"cart.html": html("cart")})
    index.write_text(html("new"), encoding="utf-8")
    assert client.get("/cart").content.decode() == html("cart")
    assert looked_up == ["cart", "cart"]


def test_the_csrf_cookie_is_set_when_missing_or_malformed_only(client, bundle_dirs):
    write_files(
        bundle_dirs.staged, {"index.html": html("i"), "form.html": html("{% csrf_token %}")}
    )
    secret = client.get("/").cookies["csrftoken"].value
    assert "csrftoken" not in client.get("/cart").cookies  # the browser has a good one
    # A template that shows the token still gets one, for the same secret.
    assert 'name="csrfmiddlewaretoken"' in client.get("/form").content.decode()
    client.cookies["csrftoken"] = "not a secret"
    replaced = client.get("/").cookies["csrftoken"].value
    assert replaced not in ("not a secret", secret)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("<p>static</p>", ("<p>static</p>", "", "")),
        ("a{{ x }}b", ("a", "{{ x }}", "b")),
        ("a{% if x %}{{ y }}{% endif %}b}}", ("a", "{% if x %}{{ y }}{% endif %}", "b}}")),
        ("a{# c #}b{{ d", ("a", "{# c #}b{{ d", "")),  # unclosed: all of it is rendered
    ],
)
def test_only_the_part_with_template_tags_is_rendered(text, parts):
    from reflex_django.spa_template import split_static

    assert split_static(text) == parts


def test_the_static_parts_of_a_document_come_out_as_they_are(client, bundle_dirs):
    script = "<script>const a = `{{ b }}`;</script>"
    document = f"<!DOCTYPE html><html><head>{script}</head><body>{script}<p>x</p></body></html>"
    write_files(bundle_dirs.staged, {"index.html": document})
    assert client.get("/").content.decode() == document
