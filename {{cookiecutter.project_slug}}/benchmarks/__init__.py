"""The performance suite of issue #13: ``python -m benchmarks`` (see the README).

Every row is a ratio of two measurements taken side by side in one run,
interleaved round by round, because the machine it runs on is shared and
noisy: no absolute number is ever a pass criterion.
"""
