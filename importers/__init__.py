"""beangulp importers for bank statements, invoice runs and SAF-T Financial (nhnfin.importers)."""
