"""Entry point of ``python -m pipelines``.

Before the interpreter exits, every object left is moved out of the garbage collector's reach
(``gc.freeze``): the last collection, over the hundreds of thousands of objects Great
Expectations, Altair and the pool leave behind, took 0.6-0.9 s of a 9 s build after one figure
changed, for memory the process is about to hand back anyway. Every output is written and
closed (atomically) before `main` returns, so no buffer waits on that collection.
"""

import gc
import sys

from pipelines.cli import main

code = main()
gc.freeze()
sys.exit(code)
