"""A customer's whole visit, in a real browser: from browsing to an order in the admin."""

import re
import uuid

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer(manage) -> str:
    """A superuser (to read the admin) whose cart already holds a teapot."""
    name = f"customer{uuid.uuid4().hex[:8]}"
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from shop.models import Cart, Product; "
        f"user = get_user_model().objects.create_superuser({name!r}, 'c@example.com', "
        f"{PASSWORD!r}); "
        "Cart.objects.create(user=user).items.create("
        "product=Product.objects.get(slug='teapot'), quantity=1)",
    )
    return name


def shop_shell(manage, code: str) -> str:
    return manage("shell", "-v0", "-c", f"from shop.models import Product; {code}")


def stock(manage, slug: str) -> int:
    return int(shop_shell(manage, f"print(Product.objects.get(slug={slug!r}).stock)"))


def set_stock(manage, slug: str, stock: int) -> None:
    shop_shell(manage, f"Product.objects.filter(slug={slug!r}).update(stock={stock})")


def expect_lines(page: Page, *slugs: str) -> None:
    """The cart page shows exactly these products' lines."""
    rows = page.locator("tr[id^=line-]")
    expect(rows).to_have_count(len(slugs))
    assert sorted(row.get_attribute("id") for row in rows.all()) == [f"line-{s}" for s in slugs]


def test_browse_search_add_refresh_share_log_in_check_out_and_see_the_order(
    page: Page, context: BrowserContext, live_server_url, manage, customer
):
    kettles_before = stock(manage, "kettle")

    # 1. Browse: the seeded catalogue.
    page.goto(live_server_url + "/")
    expect(page.locator("#product-kettle")).to_be_visible()
    expect(page.locator("#matches")).to_have_text("9 products")

    # 2. Search.
    page.fill("#search", "kettle")
    expect(page.locator("#matches")).to_have_text("2 products")
    expect(page.locator("#product-mug")).to_have_count(0)

    # 3. Open a product.
    page.click("#product-kettle")
    expect(page.locator("#page-title")).to_have_text("Gooseneck kettle")
    expect(page.locator("#product-price")).to_have_text("59.00 EUR")

    # 4. Add two items.
    page.click("#add-kettle")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")
    page.click("#nav-home")
    page.fill("#search", "")
    page.click("#add-mug")
    expect(page.locator("#cart-badge")).to_have_text("2 in cart")

    # 5. A hard refresh: the cart is in the database, not in the tab.
    page.reload()
    expect(page.locator("#cart-badge")).to_have_text("2 in cart")
    page.click("#nav-cart")
    expect(page.locator("#cart-total")).to_have_text("Total: 73.50 EUR")
    expect_lines(page, "kettle", "mug")

    # 6. A second tab shows the same cart.
    other = context.new_page()
    other.goto(live_server_url + "/cart")
    expect(other.locator("#cart-total")).to_have_text("Total: 73.50 EUR")
    other.close()

    # 7. Log in: the visitor's cart joins the customer's, which held a teapot.
    page.click("#to-checkout")
    expect(page).to_have_url(re.compile("/login"))
    page.fill("#field-login", customer)
    page.fill("#field-password", PASSWORD)
    page.click("#auth-submit")
    expect(page).to_have_url(live_server_url + "/checkout")
    expect(page.locator("#cart-badge")).to_have_text("3 in cart")
    expect(page.locator("#checkout-total")).to_have_text("Total: 112.50 EUR")

    # 8. Check out; Django's message comes with the next document.
    page.click("#place-order")
    expect(page).to_have_url(live_server_url + "/orders")
    message = page.locator(".django-message")
    expect(message).to_have_text(re.compile(r"Order \d+ placed\. Thank you!"))
    number = re.search(r"Order (\d+)", message.inner_text())[1]
    expect(page.locator("#cart-badge")).to_have_text("0 in cart")

    # 9. The order is in /orders and in the admin, and the stock went down.
    order = page.locator(f"#order-{number}")
    expect(order).to_contain_text("112.50 EUR")
    expect(order).to_contain_text("1 × Gooseneck kettle")
    page.click("#nav-home")
    expect(page.locator(".django-message")).to_have_count(0)  # shown once
    page.goto(f"{live_server_url}/admin/shop/order/{number}/change/")
    expect(page.locator("#content h2").first).to_have_text(f"Order {number}")
    expect(page.locator('input[value="59.00"]')).to_have_count(1)
    assert stock(manage, "kettle") == kettles_before - 1
    page.goto(f"{live_server_url}/admin/shop/product/?q=Gooseneck")
    expect(page.locator('input[name="form-0-stock"]')).to_have_value(str(kettles_before - 1))


def test_a_shortage_says_what_is_short_and_keeps_the_cart(
    page: Page, live_server_url, manage, customer
):
    log_in(page, live_server_url + "/login", customer)
    expect(page.locator("#nav-user")).to_have_text(customer)
    set_stock(manage, "teapot", 0)
    try:
        page.goto(live_server_url + "/checkout")
        page.click("#place-order")
        expect(page.locator("#checkout-error")).to_have_text(
            "Not enough stock left for: Cast-iron teapot."
        )
        page.click("#nav-cart")
        expect_lines(page, "teapot")
    finally:
        set_stock(manage, "teapot", 12)


def test_quantities_change_and_lines_go_from_the_cart_page(page: Page, live_server_url):
    page.goto(live_server_url + "/products/sencha")
    page.click("#add-sencha")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")  # before the page goes
    page.goto(live_server_url + "/products/assam")
    page.click("#add-assam")
    expect(page.locator("#cart-badge")).to_have_text("2 in cart")
    page.click("#nav-cart")
    page.fill("#quantity-sencha", "3")
    expect(page.locator("#line-total-sencha")).to_have_text("28.50 EUR")
    expect(page.locator("#cart-badge")).to_have_text("4 in cart")
    page.fill("#quantity-sencha", "500")
    expect(page.locator("#cart-error")).to_have_text("The quantity must be between 1 and 99.")
    page.click("#remove-assam")
    expect(page.locator("#cart-total")).to_have_text("Total: 28.50 EUR")
    page.reload()
    expect_lines(page, "sencha")


def test_a_sold_out_product_cannot_be_added(page: Page, live_server_url):
    page.goto(live_server_url + "/products/jasmine-pearls")
    expect(page.locator("#add-jasmine-pearls")).to_be_disabled()


def test_a_product_image_uploaded_to_media_shows_on_its_page(page: Page, live_server_url, manage):
    """Django serves MEDIA_ROOT while DEBUG is on (static() in config/urls.py)."""
    shop_shell(
        manage,
        "import base64; from django.core.files.base import ContentFile; "
        "png = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='); "
        "travel = Product.objects.get(slug='travel-kettle'); "
        "travel.image.save('travel.png', ContentFile(png))",
    )
    page.goto(live_server_url + "/products/travel-kettle")
    image = page.get_by_role("img", name="Travel kettle")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1
    assert page.request.get(live_server_url + "/media/products/nope.png").status == 404
