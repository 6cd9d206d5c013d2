"""DGFiP "API Impôt particulier" client, FranceConnect mode (tax data), on httpx.

Public API: ``client.get_client()`` → ``DgfipClient.fetch_situation(fc_token, choice)``
returning a ``types.TaxResult`` or raising an ``errors.DgfipError``;
``years.choose_year(...)`` gives the income year to ask (a pure function).
Facts and gaps of the API: ``shared/reference/impot-particulier/README.md``.
"""
