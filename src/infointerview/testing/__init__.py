"""The kit for plugin authors: conformance suites and Hypothesis strategies."""
