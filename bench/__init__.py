"""Benchmarks (not tests): each module reads ../shared/data and prints a table."""
