"""wagtail-qf: transmission du quotient familial à une commune, sur un site Wagtail."""

__version__ = "0.1.0"
