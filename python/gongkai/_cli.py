"""The `gongkai` command installed with the wheel: the same command line as the Rust binary."""

import os
import sys

from . import _gongkai


def main() -> None:
    # `extract` reads documents in reader processes started as `<program> worker`: here the
    # program is this command (the Rust code runs inside the Python interpreter).
    os.environ.setdefault("GONGKAI_READER", os.path.abspath(sys.argv[0]))
    sys.exit(_gongkai.main(["gongkai", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
