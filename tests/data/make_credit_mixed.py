#!/usr/bin/env python3
"""Writes credit-mixed.csv: a small synthetic credit table with numeric columns, text categories, missing
cells in several spellings and an imbalanced yes/no target (about 15 % "yes") that depends on the columns.

Deterministic: its own SplitMix64 generator (no library randomness), so the file is the same on every
machine and Python version. Run: python3 tests/data/make_credit_mixed.py > tests/data/credit-mixed.csv
"""
import math
import sys

ROWS = 1200
INTERCEPT = -2.6


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) / float(1 << 53)

    def normal(self):
        u1 = max(self.uniform(), 1e-300)
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * self.uniform())

    def pick(self, weighted):
        u = self.uniform() * sum(w for _, w in weighted)
        for value, w in weighted:
            u -= w
            if u < 0:
                return value
        return weighted[-1][0]


JOBS = [("salaried", 55), ("self-employed", 15), ("unemployed", 8), ("retired", 12), ("student", 9), ("contractor", 1)]
JOB_EFFECT = {"salaried": 0.0, "self-employed": 0.4, "unemployed": 1.6, "retired": -0.4, "student": 0.7, "contractor": 0.5}
HOUSING = [("own", 30), ("mortgage", 35), ("rent", 30), ("family", 5)]
HOUSING_EFFECT = {"own": -0.4, "mortgage": 0.0, "rent": 0.5, "family": 0.3}
REGIONS = [("north", 30), ("south", 30), ("east", 20), ("west", 18), ("islands", 2)]


def fmt(value, digits):
    return f"{value:.{digits}f}"


def main(out):
    rng = SplitMix64(20261128)
    out.write("age,income,debt_ratio,months_employed,late_payments,job,housing,region,default\n")
    positives = 0
    for _ in range(ROWS):
        job = rng.pick(JOBS)
        age = 19 + int(rng.uniform() * 52) if job != "student" else 18 + int(rng.uniform() * 10)
        if job == "retired":
            age = 60 + int(rng.uniform() * 25)
        income = math.exp(10.6 + 0.45 * rng.normal()) / 1000.0  # thousands
        if job in ("unemployed", "student"):
            income *= 0.35
        debt_ratio = max(0.0, 0.35 + 0.2 * rng.normal())
        months = 0 if job in ("unemployed", "student") else int(max(0.0, 60 + 45 * rng.normal()))
        late = min(9, int(-math.log(max(rng.uniform(), 1e-12)) * (0.6 + debt_ratio)))
        housing = rng.pick(HOUSING)
        region = rng.pick(REGIONS)

        income_missing = rng.uniform() < 0.08
        logit = (INTERCEPT + 2.2 * (debt_ratio - 0.35) + 0.45 * late - 0.9 * (math.log(income) - math.log(40.0))
                 - 0.006 * months - 0.015 * (age - 45) + JOB_EFFECT[job] + HOUSING_EFFECT[housing]
                 + (0.8 if income_missing else 0.0))
        default = rng.uniform() < 1.0 / (1.0 + math.exp(-logit))
        positives += default

        cells = [str(age), fmt(income, 1), fmt(debt_ratio, 3), str(months), str(late), job, housing, region]
        # Missing cells, each column with its own spelling (as merged exports produce).
        if income_missing:
            cells[1] = "NA"
        for column, rate, token in [(0, 0.04, ""), (2, 0.05, "?"), (3, 0.06, "N/A"), (5, 0.03, "null"), (6, 0.04, "NaN"), (7, 0.02, "")]:
            if rng.uniform() < rate:
                cells[column] = token
        cells.append("yes" if default else "no")
        out.write(",".join(cells) + "\n")
    sys.stderr.write(f"{ROWS} rows, {positives} positives ({positives / ROWS:.1%})\n")


if __name__ == "__main__":
    main(sys.stdout)
