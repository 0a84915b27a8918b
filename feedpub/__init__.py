"""feedpub: publish a folder of seed articles as RSS 2.0 and Atom 1.0 feeds."""

__version__ = "0.2.0"
