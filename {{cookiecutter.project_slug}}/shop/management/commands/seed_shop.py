"""``python manage.py seed_shop``: the demo catalogue, so a new store has something in it."""

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.models import Category, Product

#: slug -> name
CATEGORIES = {
    "teapots": "Teapots",
    "cups": "Cups and mugs",
    "kettles": "Kettles",
    "tea": "Tea",
}

#: (category, slug, name, price, stock, description)
PRODUCTS = [
    ("teapots", "teapot", "Cast-iron teapot", "39.00", 12, "Keeps a pot of tea hot for an hour."),
    ("teapots", "glass-teapot", "Glass teapot", "24.00", 20, "Watch the leaves unfurl."),
    ("cups", "mug", "Stoneware mug", "14.50", 40, "A heavy mug, glazed by hand."),
    ("cups", "tea-cups", "Porcelain cups, set of two", "18.00", 25, "Thin walls, no handles."),
    ("kettles", "kettle", "Gooseneck kettle", "59.00", 8, "Pours slowly, exactly where you aim."),
    ("kettles", "travel-kettle", "Travel kettle", "32.00", 15, "Folds flat for the suitcase."),
    ("tea", "sencha", "Sencha, 100 g", "9.50", 60, "A grassy green tea from Shizuoka."),
    ("tea", "assam", "Assam breakfast tea, 250 g", "11.00", 50, "Strong enough for milk."),
    ("tea", "jasmine-pearls", "Jasmine pearls, 50 g", "16.00", 0, "Sold out until spring."),
]


class Command(BaseCommand):
    help = (
        "Load the demo catalogue. Only what is missing is created: running it "
        "again changes nothing, and never overwrites edits made in the admin."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        categories = {
            slug: Category.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in CATEGORIES.items()
        }
        created = 0
        for category, slug, name, price, stock, description in PRODUCTS:
            _product, is_new = Product.objects.get_or_create(
                slug=slug,
                defaults={
                    "category": categories[category],
                    "name": name,
                    "price": Decimal(price),
                    "stock": stock,
                    "description": description,
                },
            )
            created += is_new
        self.stdout.write(
            f"{created} product(s) created; the catalogue has "
            f"{Category.objects.count()} categories and {Product.objects.count()} products."
        )
