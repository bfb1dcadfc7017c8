"""Baseline for the corpus benchmarks: read every file, find its headings with one regex."""

import os
import re
import sys

HEADING = re.compile(r"^#{1,6} .*$", re.MULTILINE)

folder = sys.argv[1]
count = 0
for name in sorted(os.listdir(folder)):
    if name.endswith(".md"):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            count += len(HEADING.findall(handle.read()))
print(count)
