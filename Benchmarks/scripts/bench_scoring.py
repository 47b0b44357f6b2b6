"""End-to-end scoring, OneCheck vs polars + numpy, in one run on the same file; medians and ratios.

usage: python bench_scoring.py --onecheck PATH --model M --input entities.csv --out DIR [--repeats 5] [--fresh]
                              [--reasons K]
Runs the two tools alternately (so drift in machine load hits both), measures wall time and peak resident
memory with GNU time, checks the outputs agree, and prints the medians and the ratio.

By default each run replaces the previous run's output, as a user re-scoring into the same file does. On ext4
(default `auto_da_alloc`) replacing a file allocates and starts the writeback of the new one at once, if any of its
blocks is still unallocated: at `rename` over it (how onecheck commits, atomically) or at `close` after `O_TRUNC`
(how polars writes). That cost 0.3-1 s for a 290 MB output on this machine. onecheck now reserves its output's
space as it writes (`fallocate`), so its rename has nothing to allocate (0.03 s); polars still pays at close.
`--fresh` deletes each tool's output (and syncs) before its run, so that each tool writes a new file.
"""
import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env=None):
    """Wall seconds and peak RSS (KiB) of one run, via GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    seconds, rss = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onecheck", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--fresh", action="store_true", help="delete both outputs before every run")
    ap.add_argument("--reasons", type=int, default=0, help="K reasons per head, in both tools")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ours_out, peer_out = os.path.join(a.out, "scores-onecheck.csv"), os.path.join(a.out, "scores-peer.csv")
    ours_cmd = [a.onecheck, "score", "--model", a.model, "--input", a.input, "--output", ours_out, "--no-progress"]
    peer_cmd = [sys.executable, os.path.join(HERE, "score_peer.py"), a.model, a.input, peer_out]
    if a.reasons:
        ours_cmd += ["--reasons", str(a.reasons)]
        peer_cmd += ["--reasons", str(a.reasons)]
    # The machine may set these for old OpenBLAS builds; they slow a current numpy, so the peer runs without them.
    peer_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    ours, peer = [], []
    def prepare(path):
        if a.fresh:
            if os.path.exists(path):
                os.remove(path)
            os.sync()

    for _ in range(a.repeats):
        prepare(ours_out)
        ours.append(timed(ours_cmd))
        prepare(peer_out)
        peer.append(timed(peer_cmd, env=peer_env))
    subprocess.run([sys.executable, os.path.join(HERE, "compare_outputs.py"), ours_out, peer_out], check=True)
    size = os.path.getsize(a.input) / 1e6
    mo, mp = statistics.median(t for t, _ in ours), statistics.median(t for t, _ in peer)
    mode = "each run writes a new output" if a.fresh else "each run replaces the previous output"
    if a.reasons:
        mode += f", {a.reasons} reasons per head"
    print(f"input: {a.input} ({size:.0f} MB), {a.repeats} alternating runs each, medians; {mode}")
    print(f"  onecheck score        {mo:7.2f} s   peak RSS {max(r for _, r in ours) / 1024:7.0f} MiB   all: {[t for t, _ in ours]}")
    print(f"  polars + numpy        {mp:7.2f} s   peak RSS {max(r for _, r in peer) / 1024:7.0f} MiB   all: {[t for t, _ in peer]}")
    print(f"  ratio (peer / onecheck): {mp / mo:.2f}x")


if __name__ == "__main__":
    main()
