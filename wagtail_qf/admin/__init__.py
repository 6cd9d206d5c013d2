"""The agents' inbox of dossiers in the Wagtail admin."""
