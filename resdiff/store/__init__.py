"""The version store: every adopted text (and draft) of a series in a git repository.

    api.py         ``Store``: where the store is, opening and seeding it, reading, locking
    filing.py      ``Store.add``/``file``: one transaction per batch, the series that change rewritten
    drafting.py    ``Store.add_draft`` and naming a stored stage (``SERIES@stage``, L symbols)
    records.py     what a received text becomes and how it merges with the stored versions (no git)
    catalogue.py   the index beside the repository: which series holds which symbol
    repository.py  the layout: a series' commits and drafts' branches, ``main``, read back
    plumbing.py    git objects, refs, notes, the journal and the locks (the only ``import git``)

Imports go one way: ``api`` -> ``drafting`` -> ``filing`` -> ``records``, ``catalogue``, ``repository``
-> ``plumbing``; none of these knows ``api``.
"""

from .api import ENV, SKIPPED, Added, Filed, Store, open_existing, store_path
from .records import Received, tag_name

__all__ = ["ENV", "SKIPPED", "Added", "Filed", "Received", "Store", "open_existing", "store_path", "tag_name"]
