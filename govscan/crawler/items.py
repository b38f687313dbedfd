"""The spider's items are the store's records: the crawl reports facts, the store keeps them."""

from govscan.store.records import FetchRecord as FetchItem
from govscan.store.records import LinkRecord as LinkItem
from govscan.store.records import PageSource as PageItem

__all__ = ["FetchItem", "LinkItem", "PageItem"]
