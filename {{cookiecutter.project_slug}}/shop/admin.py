"""The shop in Django's admin: stock is edited here, and every order is visible."""

from django.contrib import admin

from .models import Cart, CartItem, Category, Order, OrderItem, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "price", "stock", "is_active"]
    list_editable = ["price", "stock", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class LineInline(admin.TabularInline):
    """A cart's or an order's lines; the product is picked by search."""

    extra = 0
    autocomplete_fields = ["product"]


class CartItemInline(LineInline):
    model = CartItem


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "updated"]
    list_filter = ["updated"]
    search_fields = ["user__username", "user__email"]
    inlines = [CartItemInline]


class OrderItemInline(LineInline):
    model = OrderItem


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "created", "total"]
    list_filter = ["created"]
    search_fields = ["pk", "user__username", "user__email", "items__product__name"]
    date_hierarchy = "created"
    inlines = [OrderItemInline]
