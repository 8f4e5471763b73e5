"""Reads a `murmur network` folder back with networkx (not run by cargo test).

Usage: python3 tests/network_export_networkx.py RESULTS_DIR
Needs networkx (e.g. the peer venv of /work/shared/peers, or any networkx 3.x).
Checks that network.graphml parses, that its nodes and edges match nodes.csv and
edges.csv, and that communities, degrees and weights agree.
"""
import csv
import sys

import networkx as nx

folder = sys.argv[1]
g = nx.read_graphml(f"{folder}/network.graphml", node_type=int)
edges = list(csv.DictReader(open(f"{folder}/edges.csv")))
nodes = list(csv.DictReader(open(f"{folder}/nodes.csv")))
assert g.number_of_nodes() == len(nodes), (g.number_of_nodes(), len(nodes))
assert g.number_of_edges() == len(edges), (g.number_of_edges(), len(edges))
for row in nodes:
    data = g.nodes[int(row["id"])]
    assert str(data.get("community", "")) == row["community"], (row, data)
    degree = g.out_degree(int(row["id"])) if g.is_directed() else g.degree(int(row["id"]))
    assert degree == int(row["degree"]) == data["degree"], (row, data)
for row in edges:
    u, v = int(row["source"]), int(row["target"])
    assert g.has_edge(u, v), (u, v)
    if "weight" in row:
        assert abs(g.edges[u, v]["weight"] - float(row["weight"])) < 1e-9, row
kind = "DiGraph" if g.is_directed() else "Graph"
print(f"ok: {kind} of {g.number_of_nodes()} nodes and {g.number_of_edges()} edges")
