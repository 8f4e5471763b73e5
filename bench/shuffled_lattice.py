"""Writes the README's locality test network: a ring lattice of N nodes, each tied to
its K nearest neighbours on each side, 1% of ties rewired to a random node (Watts and
Strogatz 1998), its node ids shuffled, as an edge list ("u v" per line).

    python3 bench/shuffled_lattice.py /tmp/ws_shuffled.txt   # 1M nodes, 5M edges
    murmur bench --network /tmp/ws_shuffled.txt --repeats 5 --cascades 2000
"""
import random
import sys

N, K, REWIRE, SEED = 1_000_000, 5, 0.01, 3


def main(path):
    random.seed(SEED)
    ids = list(range(N))
    random.shuffle(ids)
    lines = []
    for v in range(N):
        for j in range(1, K + 1):
            u = (v + j) % N
            if random.random() < REWIRE:
                u = random.randrange(N)
            if u != v:
                lines.append(f"{ids[v]} {ids[u]}\n")
    with open(path, "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ws_shuffled.txt")
