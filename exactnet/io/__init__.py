"""Reading and writing networks: the exactnet network file (JSON)."""
