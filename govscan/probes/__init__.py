"""Probes: measurements made beside the crawl, stored for the checks to judge; a probe never
judges. A scan's probes (IPv6, the browser) keep theirs as the run's metrics; the
scheduler's availability probes fetch each homepage many times a day."""
