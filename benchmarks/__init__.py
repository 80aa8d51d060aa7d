"""Benchmarks, run by `make bench`.

Each benchmark times a piece of Observatory and a baseline in the same run, on the same
machine, and reports the ratio, so figures stay comparable across machines. Targets from
issues are checked here, never by timed unit tests. Figures are recorded in
docs/benchmarks.md.
"""
