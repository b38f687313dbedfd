"""Probes: measurements a scan makes beside the crawl (IPv6 today), stored as run metrics."""
