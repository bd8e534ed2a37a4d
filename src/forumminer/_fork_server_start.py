"""Imported first by the fork server of worker processes (:func:`forumminer._parallel.start_fork_server`):
the server ends as soon as the process that started it has, even while it still imports the modules
it preloads (on its own it would notice only once they are loaded)."""

import os

from ._parallel import end_with

end_with(os.getppid())
