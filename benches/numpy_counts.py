# How long vectorised numpy needs just to draw the monthly claim counts of the
# default scenario (96 cells x 12 outcomes x 120 months) for 10,000 paths.
import numpy as np, time
rng = np.random.default_rng(1)
paths, cells, outcomes, months = 10_000, 96, 12, 120
# monthly means like the default scenario: 2,500 cases a month over 96 cells
base = rng.gamma(1.0, 26.0, size=cells)
mix = np.array([0.52, .001, .002, .003, .005, .02, .03, .04, .07, .10, .197, .012])
lam = base[:, None] * mix[None, :]
t = time.perf_counter()
total = 0
for m in range(months):
    total += rng.poisson(lam, size=(paths, cells, outcomes)).sum()
dt = time.perf_counter() - t
print(f"numpy Poisson counts only: {dt:.1f} s for {paths} paths ({total/paths/months:.0f} cases a month a path)")
