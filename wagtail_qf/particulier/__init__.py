"""API Particulier v3 client (quotient familial CAF/MSA) on httpx.

Public API: ``client.get_client()`` → ``ParticulierClient`` with
``fetch_with_franceconnect(...)`` / ``fetch_with_identity(...)`` returning a
``types.QFResult`` or raising a ``errors.ParticulierError``.
"""
