#!/usr/bin/env python3
"""Grouping accuracy of `triage templates` and of drain3 (defaults) on loghub's 2k samples.

Grouping accuracy as in the log-parsing benchmark papers (Zhu et al., "Tools and Benchmarks
for Automated Log Parsing", ICSE-SEIP 2019): a line is parsed correctly when the set of lines
in its predicted group is exactly the set of lines of its ground-truth event. Both parsers
get the same raw lines (header and all) with no per-system setting.

The ground truth (bench/data/loghub/*_2k.events: the EventId column of loghub's
*_2k.log_structured.csv, https://github.com/logpai/loghub, see LICENSE there) is used here to
measure only.

Usage: bench/templates_eval.py TRIAGE_BINARY CORPUS_DIR [SYSTEM...]
"""
import collections
import json
import logging
import os
import subprocess
import sys
import time

SYSTEMS = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "HealthApp", "Linux", "Mac",
           "OpenSSH", "OpenStack", "Proxifier", "Spark", "Thunderbird", "Windows", "Zookeeper"]
HERE = os.path.dirname(os.path.abspath(__file__))


def grouping_accuracy(truth, predicted):
    """Share of lines whose predicted group is exactly their true group."""
    assert len(truth) == len(predicted)
    true_size = collections.Counter(truth)
    groups = collections.defaultdict(list)
    for t, p in zip(truth, predicted):
        groups[p].append(t)
    correct = 0
    for members in groups.values():
        kinds = set(members)
        if len(kinds) == 1 and true_size[members[0]] == len(members):
            correct += len(members)
    return correct / len(truth)


def triage_groups(binary, path):
    out = subprocess.run([binary, "templates", "--format", "jsonl", path],
                         check=True, capture_output=True).stdout
    return [json.loads(line)["template"] for line in out.decode().splitlines()]


def drain3_groups(lines):
    from drain3 import TemplateMiner
    logging.getLogger("drain3").setLevel(logging.ERROR)
    miner = TemplateMiner()  # defaults: depth 4, sim_th 0.4, max_children 100, no masking
    return [miner.add_log_message(line)["cluster_id"] for line in lines]


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    systems = sys.argv[3:] or SYSTEMS
    rows = []
    for system in systems:
        path = os.path.join(corpus, f"{system}_2k.log")
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        with open(os.path.join(HERE, "data", "loghub", f"{system}_2k.events")) as f:
            truth = f.read().split()
        started = time.monotonic()
        ours = grouping_accuracy(truth, triage_groups(binary, path))
        ours_s = time.monotonic() - started
        started = time.monotonic()
        theirs = grouping_accuracy(truth, drain3_groups(lines))
        theirs_s = time.monotonic() - started
        rows.append((system, ours, theirs, ours_s, theirs_s))
    print("| system | triage | drain3 (defaults) |")
    print("|---|---|---|")
    for system, ours, theirs, _, _ in rows:
        print(f"| {system} | {ours:.3f} | {theirs:.3f} |")
    n = len(rows)
    avg_ours = sum(r[1] for r in rows) / n
    avg_theirs = sum(r[2] for r in rows) / n
    print(f"| **average** | **{avg_ours:.3f}** | **{avg_theirs:.3f}** |")
    print()
    print(f"time for all {n}: triage {sum(r[3] for r in rows):.2f} s (process per file), "
          f"drain3 {sum(r[4] for r in rows):.2f} s")


if __name__ == "__main__":
    main()
