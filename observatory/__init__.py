"""Observatory: an information system for Violence Reduction Partnerships.

Data flows one way: sources -> lake -> analysis -> outputs. See docs/architecture.md.
"""

__version__ = "0.1.0"
