"""geokg: turn news articles into a knowledge graph of geopolitical relations.

The package root stays light: importing ``geokg`` loads neither rdflib nor spaCy, so
``geokg --help`` starts fast. Import the modules you need (``geokg.store``,
``geokg.validate``, ...) directly.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
