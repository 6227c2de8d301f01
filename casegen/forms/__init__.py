"""A third, independent generator of synthetic scanned criminal case files with ground truth.

Written apart from the project's other generators (its wording comes from the published police
form templates, not from the compiler's rules), so scores on its cases say how the compiler does
on case files whose phrasing it cannot have been fitted to.

    from casegen.forms import generate_case
    truth = generate_case(seed=1, pages=60, output=Path("/tmp/case1"))

or ``python -m casegen.forms --seed 1 --pages 60 --output /tmp/case1``.
"""

from .generate import generate_case

__all__ = ["generate_case"]
