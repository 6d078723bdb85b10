"""The depth-precision tradeoff (Ou, Schenkel, Bölcskei 2024), realised exactly by exactnet.precision.

Claim (abstract of arXiv:2405.01952): "networks with high-precision weights can be
converted into functionally equivalent deeper networks with low-precision weights".
exactnet.precision.to_alphabet writes every layer of a dyadic plain MLP over the binary
digits of its numbers (Horner chains of exact halvings and doublings, sign split
v = relu(v) - relu(-v)).  Decided here: for the classic bit extraction networks
(weights up to 2^n, biases with n + 1 fractional bits), n = 1..6, over {-1, -1/2, 1/2, 1}
(2 bits) and {-2, -1, -1/2, 1/2, 1, 2} (3 bits), the converted network equals the
original on [-1, 2] in every output (exact PWL of sum_j |N_j - M_j|) and uses only
alphabet values; a two-input network is proved equal on a box by z3.  The table reports
depth, width, weights, distinct values, bits per weight and memory before and after.
Rounding instead of converting changes the function: the exact sup change is reported.

Not checked: the paper's own conversion and its memory-optimality statement (the text
of the theorem was not retrievable).  Runtime: about 5 s.
"""

# %%
# Build and spot-check: weight 3 = 2 + 1 over {-1, -1/2, 1/2, 1} needs copies to double
# ------------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.ou2024 import (
    ALPHABETS,
    converted_alphabet_size,
    converted_equal,
    converted_equal_2d,
    sum_abs_difference,
)
from exactnet.constructions.ou2024 import bit_extraction_net
from exactnet.evaluate import evaluate
from exactnet.metrics import metrics
from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.precision import to_alphabet
from exactnet.quantize import memory, snap
from exactnet.report import render, table
from exactnet.supnorm import sup_error

three = Network.from_layers([[[3]], [[1]]], [[0], [0]])
assert [evaluate(to_alphabet(three), x)[0] for x in ("-1", "1/2", "2")] == [Q(0), Q(3, 2), Q(6)]

# %%
# Certify equality and alphabet membership for every n and both alphabets
# ------------------------------------------------------------------------
certs = []
for a in ALPHABETS:
    for n in range(1, 7):
        certs += [converted_equal(n, a), converted_alphabet_size(n, a)]
certs.append(converted_equal_2d())

# %%
# Before and after: depth, width, weights, bits per weight, memory (weights and biases)
# ----------------------------------------------------------------------------------
rows = []
for n in (2, 4, 6):
    N = bit_extraction_net(n)
    for name, net in [("original", N)] + [(ALPHABETS[a].name, to_alphabet(N, ALPHABETS[a])) for a in ALPHABETS]:
        m, mem = metrics(net), memory(net, biases=True)
        rows.append([str(n), name, str(m.depth), str(m.width), str(m.weights_with_biases),
                     str(mem.distinct), str(mem.codebook_bits), str(mem.total_codebook),
                     str(mem.fixed_point_bits), str(mem.total_fixed_point)])
print(table(["n", "network", "depth", "width", "numbers", "distinct", "bits/w", "memory",
             "fixed-pt bits/w", "fixed-pt memory"], rows))

# %%
# Rounding instead: snap B_4 to the grid 2^-B and measure the exact sup change on [0, 1]
# ------------------------------------------------------------------------------------
N = bit_extraction_net(4)
rows = []
for B in (1, 2, 3, 4, 5):
    R, info = snap(N, B)
    change = sup_error(sum_abs_difference(N, R), "0", Interval(0, 1))
    rows.append([str(B), str(info.largest_change), str(change.value), str(change.witness)])
print(table(["B", "largest weight change", "sup_x sum_j |N_j - rounded N_j|", "at x"], rows))

print(render(certs))
raise SystemExit(exit_code(certs))
