"""French communes (Code officiel géographique) reference data and search."""
