"""The `gongkai` command installed with the wheel: the same command line as the Rust binary."""

import sys

from . import _gongkai


def main() -> None:
    sys.exit(_gongkai.main(["gongkai", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
