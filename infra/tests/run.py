"""Runs the infra tests and ends with one summary line: `infra: N passed, N failed, N skipped`.

    .local/infra-venv/bin/python infra/tests/run.py          (make check-infra runs it)
    OPENAPI_JSON=/path/openapi.json ... run.py               also compare with the API description

`python -m unittest discover -s infra/tests -v` runs the same tests without the summary line.
"""
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE))
    suite = unittest.defaultTestLoader.discover(str(HERE), pattern="test_*.py", top_level_dir=str(HERE))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # A test whose subtests fail several times still counts once.
    failed = len({getattr(test, "test_case", test).id() for test, _ in result.failures + result.errors})
    failed += len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    for test, reason in result.skipped:
        print(f"skipped {test.id()}: {reason}")
    print(f"infra: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
