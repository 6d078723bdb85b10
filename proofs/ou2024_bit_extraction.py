"""Bit extraction (Bartlett et al. 2019; refined in Ou, Schenkel, Bölcskei 2024): x = k/2^n -> bits of k.

Claim.  The classic bit extraction network B_n (residual doubling r_j = 2 r_(j-1) - b_j,
each threshold two ReLUs with a ramp as wide as the grid spacing) and exactnet's refined
network R_n (every edge weight in {-2, 1, 2}, depth n(n+1)/2 + 1) satisfy
B_n(k/2^n) = R_n(k/2^n) = (floor(k / 2^(n-j)) mod 2)_(j=1..n) for every 0 <= k < 2^n.
Their sizes are the hand counts of exactnet.constructions.ou2024; between grid points
bit 1 is the ramp min(relu(2^n (x - 1/2) + 1), 1), and R_n = B_n on [0, 1].

Method.  The symbolic route: one z3 query per n with k a z3 integer (bit j expected as
(k div 2^(n-j)) mod 2), n = 1..8 (classic) and 1..6 (refined); the cross-check: exhaustive
exact evaluation of every output at every grid point, n = 1..12 (classic), 1..8 (refined);
exact PWL extraction for the behaviour between grid points.  Runtime: about 15 s.

The text of Ou et al.'s lemmas was not retrievable (only the abstract and introduction of
arXiv:2405.01952); what is checked is exactly what is stated above.

References: P. L. Bartlett, N. Harvey, C. Liaw, A. Mehrabian, JMLR 20 (2019),
arXiv:1703.02930; W. Ou, P. Schenkel, H. Bölcskei, arXiv:2405.01952 (2024).
"""

# %%
# Build and spot-check by hand: n = 3 at x = 5/8 must give the bits of 5 = 101b
# -----------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.ou2024 import (
    bit_extraction_grid,
    bit_extraction_size,
    first_bit_ramp,
    refined_equals_classic,
    transition_zones,
)
from exactnet.constructions.ou2024 import bit_extraction_net, bit_extraction_refined_net
from exactnet.evaluate import evaluate
from exactnet.exhaustive import check_on_grid
from exactnet.metrics import metrics
from exactnet.numbers import Q
from exactnet.report import render, table

assert [int(b) for b in evaluate(bit_extraction_net(3), "5/8")] == [1, 0, 1]
assert [int(b) for b in evaluate(bit_extraction_refined_net(3), "5/8")] == [1, 0, 1]

# %%
# The symbolic route: z3 with an integer k, all outputs in one query
# ------------------------------------------------------------------
certs = [bit_extraction_grid(n) for n in range(1, 9)]
certs += [bit_extraction_grid(n, refined=True) for n in range(1, 7)]

# %%
# The cross-check: every output at every grid point, exactly (expected bits from
# Python's binary formatting of k, not from the network)
# ------------------------------------------------------------------------------


def expected_bit(n, j):
    return lambda x: Q(int(format(int(x * 2**n), f"0{n}b")[j]))


for build, top in ((bit_extraction_net, 12), (bit_extraction_refined_net, 8)):
    for n in range(1, top + 1):
        net = build(n)
        for j in range(n):
            certs.append(check_on_grid(net, range(2**n), 2**n, expected_bit(n, j),
                                       claim=f"{build.__name__}({n}) bit {j + 1} on the grid", output=j))

# %%
# Sizes against the hand counts
# -----------------------------
certs += [bit_extraction_size(n) for n in range(1, 17)]
certs += [bit_extraction_size(n, refined=True) for n in range(1, 13)]
rows = []
for n in (2, 4, 8, 12):
    a, b = metrics(bit_extraction_net(n)), metrics(bit_extraction_refined_net(n))
    rows.append([str(n), f"{a.depth}/{b.depth}", f"{a.width}/{b.width}", f"{a.weights}/{b.weights}",
                 f"{a.distinct_weights}/{b.distinct_weights}", f"{a.bits_per_weight}/{b.bits_per_weight}",
                 f"{a.memory_bits}/{b.memory_bits}", str(a.max_magnitude)])
print(table(["n", "depth", "width", "weights", "distinct", "bits/weight", "memory bits", "max |w| classic"], rows))

# %%
# Between grid points: bit 1 is an exact ramp; the refined network is the same function.
# The transition zones (where a bit is neither 0 nor 1) of every bit, measured exactly:
# ------------------------------------------------------------------------------------
certs += [first_bit_ramp(n) for n in range(1, 11)]
certs += [refined_equals_classic(n) for n in range(1, 7)]
rows = []
for n in (3, 4, 5, 6):
    for j in range(1, n + 1):
        z = transition_zones(n, j)
        rows.append([str(n), str(j), str(len(z)), str(sum((b - a for a, b in z), Q(0))),
                     ", ".join(f"[{a}, {b}]" for a, b in z[:3]) + (" ..." if len(z) > 3 else "")])
print(table(["n", "bit", "zones", "total length", "first zones"], rows))

print(render(certs))
raise SystemExit(exit_code(certs))
