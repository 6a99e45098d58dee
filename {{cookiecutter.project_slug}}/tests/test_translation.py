"""Every user-facing string goes through gettext: the same pages and messages in French.

The SPA is translated when it is built, into ``LANGUAGE_CODE``; messages
from event handlers and Django views are translated when they are sent,
into the language active then (``LANGUAGE_CODE`` outside a request).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from reflex_django.auth import accounts
from reflex_django.auth.pages import (
    login_page,
    password_reset_confirm_page,
    password_reset_page,
    register_page,
)
from reflex_django.auth.request import build_request
from reflex_django.pages import add_pages, registered_pages

from .conftest import sent_mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def french(settings):
    cache.clear()
    settings.LANGUAGE_CODE = "fr"
    settings.ALLOWED_HOSTS = ["shop.example"]


def event_request(ip="10.0.0.1"):
    return build_request({"host": "shop.example"}, ip, "http://shop.example/login")


def rendered(component) -> str:
    """The component's JavaScript, with its \\uXXXX escapes read back."""
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), str(component))


def test_login_messages_are_french(settings):
    settings.REFLEX_DJANGO_AUTH = {
        "LOGIN_FAILURES_BEFORE_DELAY": 1,
        "LOGIN_FAILURES_BEFORE_LOCKOUT": 2,
    }
    answers = [accounts.log_in(event_request(), "ghost", "x", None).error for _ in range(3)]
    assert answers == [
        "Veuillez saisir un nom d’utilisateur et un mot de passe corrects.",
        "Veuillez saisir un nom d’utilisateur et un mot de passe corrects.",
        "Trop de tentatives. Veuillez patienter un moment avant de réessayer.",
    ]


def test_registration_errors_are_french_ours_and_djangos():
    get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)
    data = {"username": "alice", "email": "ALICE@example.com", "password1": "1", "password2": "2"}
    errors = accounts.register(event_request(), data, None).field_errors
    assert errors["email"] == ["Un utilisateur avec cette adresse e-mail existe déjà."]
    assert errors["username"] == ["Un utilisateur avec ce nom existe déjà."]  # Django's own
    assert errors["password2"] == ["Les deux mots de passe ne correspondent pas."]


def test_the_reset_email_is_french(settings):
    settings.REFLEX_DJANGO_AUTH = {"BRAND": "Salon de thé"}
    get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)
    accounts.request_password_reset(event_request(), "alice@example.com")
    (message,) = sent_mail()
    assert message.subject == "Réinitialiser votre mot de passe sur Salon de thé"
    assert message.body.startswith(
        "Quelqu’un a demandé la réinitialisation du mot de passe du compte alice "
        "sur Salon de thé.\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n"
    )


@pytest.mark.parametrize(
    ("page", "texts"),
    [
        # "Log in" is Django's own string too; its translation wins: "Connexion".
        (login_page, ["Connexion", "Nom d’utilisateur", "Mot de passe oublié ?"]),
        (register_page, ["Créer un compte", "Mot de passe (confirmation)", "J’ai déjà un compte"]),
        (password_reset_page, ["M’envoyer un lien", "Retour à la connexion"]),
        (password_reset_confirm_page, ["Modifier mon mot de passe", "Votre mot de passe a été"]),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_the_auth_pages_are_built_in_french(page, texts):
    html = rendered(page())
    for text in texts:
        assert text in html


def test_the_shop_and_the_page_titles_are_built_in_french():
    from shop import views

    html = rendered(views.index())
    assert "Ajouter au panier" in html and "Vider" not in html and "Connexion" in html

    class App:
        titles: dict[str, str] = {}

        def add_page(self, component, route, **options):
            self.titles[route] = options.get("title")

    app = App()
    add_pages(app, guard=lambda page: page)
    assert {page.route for page in registered_pages()} >= {"/about", "/login", "/cart"}
    assert (app.titles["/about"], app.titles["/login"], app.titles["/cart"]) == (
        "À propos",
        "Connexion",
        "Panier",
    )


def test_an_expired_login_is_explained_in_french(client):
    response = client.post("/accounts/session/", {"ticket": "stale"}, HTTP_HOST="shop.example")
    assert response.json() == {"error": "Cette connexion a expiré. Veuillez vous reconnecter."}


def test_a_database_outage_is_explained_in_french():
    from django.db import OperationalError

    from reflex_django.database_faults import backend_exception_handler

    assert "La base de données est indisponible pour le moment." in rendered(
        backend_exception_handler(OperationalError("database is locked"))
    )


def test_the_shops_messages_are_french(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from shop import carts
    from shop.models import Cart, Order, Product
    from shop.orders import OutOfStock, checkout

    call_command("seed_shop", stdout=StringIO())
    user = get_user_model().objects.create_user("alice", password=PASSWORD)
    cart = Cart.objects.create(user=user)
    with pytest.raises(carts.QuantityError, match="comprise entre 1 et 99"):
        carts.add(cart, Product.objects.get(slug="mug"), 0)
    carts.add(cart, Product.objects.get(slug="jasmine-pearls"))
    with pytest.raises(OutOfStock, match="Stock insuffisant pour : Jasmine pearls, 50 g."):
        checkout(user)
    order = Order.objects.create(user=user, total=0)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(f"/shop/orders/{order.pk}/placed/", HTTP_HOST="shop.example")
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"Commande {order.pk} passée. Merci !"
    ]
