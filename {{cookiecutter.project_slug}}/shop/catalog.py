"""The demo catalogue, shared by the JSON API and the SPA pages."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    price: str


PRODUCTS: tuple[Product, ...] = (
    Product("teapot", "Cast-iron teapot", "39.00"),
    Product("mug", "Stoneware mug", "14.50"),
    Product("kettle", "Gooseneck kettle", "59.00"),
)


def find_product(slug: str) -> Product | None:
    return next((p for p in PRODUCTS if p.slug == slug), None)


def as_json(product: Product) -> dict[str, str]:
    return asdict(product)
