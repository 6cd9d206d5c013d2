"""A site's own app, as a commune's developer would write it: a page built on the QF mixin."""
