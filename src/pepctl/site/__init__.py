"""The PEP website: a static site built from the PEP folder.

Needs the ``site`` extra (``pip install 'pepctl[site]'``). Nothing in the
core imports this package.
"""

from pepctl.site.builder import BuildResult, build_site
from pepctl.site.output import SiteError

__all__ = ["BuildResult", "SiteError", "build_site"]
