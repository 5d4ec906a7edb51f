"""The daemon that forks a local run's Python workers (`spark.python.daemon.module`, set by
`python -m gongkai.spark --master local[…]`): pyspark's own, with two changes to what its
workers import, which cost a local run ~0.8 CPU s (2,000 generated files: the daemon and two
workers).

- Spark puts SPARK_HOME/python/lib/pyspark.zip (and py4j's zip) first on a worker's path, and
  Python compiles a zip's modules again in every process that imports them (pyspark: 0.5 CPU s,
  against 0.1 s from compiled bytecode). Where SPARK_HOME is a pip-installed pyspark package,
  the package holding the zip is the same code with its bytecode, so the zips go last. A Spark
  distribution's zip (a cluster's) has no package around it and stays first.
- The modules every worker imports (pyspark.worker, gongkai.spark) are imported here, once,
  before the daemon forks, instead of in each worker after the fork. pyspark.daemon leaves that
  import to the workers because pandas and pyarrow start threads when imported, which a fork
  would not copy; neither of these imports them (python/tests/test_gongkai.py checks it).
"""

import os
import sys


def _zips_of_the_installed_pyspark(path: list) -> list:
    """The entries of `path` that are zips in the python/lib folder of a pyspark package whose
    parent folder is on `path` too (pip's pyspark: SPARK_HOME is the package)."""
    zips = []
    for entry in path:
        lib = os.path.dirname(entry)
        package = os.path.dirname(os.path.dirname(lib))
        if entry.endswith(".zip") and lib.endswith(os.path.join("python", "lib")) and os.path.basename(package) == "pyspark":
            if os.path.isfile(os.path.join(package, "__init__.py")) and os.path.dirname(package) in path:
                zips.append(entry)
    return zips


def _installed_pyspark_first():
    zips = _zips_of_the_installed_pyspark(sys.path)
    sys.path[:] = [entry for entry in sys.path if entry not in zips] + zips


_installed_pyspark_first()

import pyspark.worker  # noqa: E402,F401
from pyspark.daemon import manager  # noqa: E402

import gongkai.spark  # noqa: E402,F401

if __name__ == "__main__":
    manager()
