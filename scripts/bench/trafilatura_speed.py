"""Times trafilatura on the pages given (.html.gz or .html), in one process.

Usage: python trafilatura_speed.py ROUNDS FILE...

The pages are read and decompressed before timing (trafilatura gets the
decompressed bytes, as it would from a fetcher); each round extracts every
page once with the default settings. Prints one line:
`pages=N best_seconds=S best_cpu_seconds=C`, the best round's wall-clock
seconds and the best round's CPU seconds of this process (user + system,
`time.process_time`).
"""

import gzip
import sys
import time

import trafilatura


def main() -> None:
    rounds = int(sys.argv[1])
    pages = []
    for path in sys.argv[2:]:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            pages.append(f.read())
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        cpu = time.process_time()
        for page in pages:
            trafilatura.extract(page)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best = min(best, time.perf_counter() - start)
    print(f"pages={len(pages)} best_seconds={best:.6f} best_cpu_seconds={best_cpu:.6f}")


if __name__ == "__main__":
    main()
