"""govscan: compliance crawler for Chinese government websites and new-media accounts."""

__version__ = "0.1.0"
#: How govscan introduces itself to the sites it checks (configurable per inventory).
USER_AGENT = f"govscan/{__version__} (+https://github.com/govscan/govscan)"
