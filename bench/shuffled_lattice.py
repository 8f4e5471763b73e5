"""Writes the README's locality test network: a ring lattice of N nodes, each tied to
its K nearest neighbours on each side, 1% of ties rewired to a random node (Watts and
Strogatz 1998), its node ids shuffled, as an edge list ("u v" per line).

    python3 bench/shuffled_lattice.py /tmp/ws_shuffled.txt   # 1M nodes, 5M edges
    murmur bench --network /tmp/ws_shuffled.txt --repeats 5 --cascades 2000
    python3 bench/shuffled_lattice.py /tmp/ws10m.txt 10000000  # 10M nodes, 50M edges
"""
import random
import sys

K, REWIRE, SEED = 5, 0.01, 3


def main(path, n):
    random.seed(SEED)
    ids = list(range(n))
    random.shuffle(ids)
    with open(path, "w") as f:
        for start in range(0, n, 100_000):
            lines = []
            for v in range(start, min(n, start + 100_000)):
                for j in range(1, K + 1):
                    u = (v + j) % n
                    if random.random() < REWIRE:
                        u = random.randrange(n)
                    if u != v:
                        lines.append(f"{ids[v]} {ids[u]}\n")
            f.writelines(lines)


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "ws_shuffled.txt",
        int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000,
    )
