"""Read-only API, signed webhooks and deep links for commune software editors."""
