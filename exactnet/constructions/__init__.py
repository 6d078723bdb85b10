"""The constructions of the approximation-theory papers, one module per paper."""
