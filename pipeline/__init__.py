"""绩效自评表 (budget performance self-evaluation reports) to validated records.

The API (pipeline/api.py): ``pipeline.extract(path_or_bytes, **options) -> Record`` for
one document (``pipeline.extract_all`` for a record per form of a file holding several),
``pipeline.extract_batch(paths, out=...)`` for a batch into a folder.
"""

from pipeline.api import extract, extract_all, extract_batch
from pipeline.logs import package_version
from pipeline.models import Record
from pipeline.run import RunSummary
from pipeline.settings import Settings

__version__ = package_version()
__all__ = ["Record", "RunSummary", "Settings", "__version__", "extract", "extract_all", "extract_batch"]
