#!/usr/bin/env python3
"""Writes the fuzz seed corpus from a run directory of a tiny FetchReach run, made with
  hindsight train --env FetchReach --epochs 1 --out /tmp/seedrun run_name=s hidden=[4] cycles=1 \
      episodes_per_cycle=1 updates_per_cycle=1 batch_size=4 test_episodes=0 norm_warmup_episodes=1 \
      buffer_size=500
usage: fuzz/make_seeds.py RUN_DIR  (writes fuzz/seeds/<target>/...)
The learner and replay targets expect exactly this shape (13 inputs, 4 actions, hidden [4], 50 steps)."""
import json
import os
import shutil
import struct
import sys


def sections(path):
    """The named payloads of a checkpoint file (format in src/hindsight/io/checkpoint.hpp)."""
    data = open(path, "rb").read()
    assert data[:8] == b"HSCKPT01", path
    (count,) = struct.unpack_from("<I", data, 8)
    pos, table = 12, []
    for _ in range(count):
        (name_len,) = struct.unpack_from("<I", data, pos)
        name = data[pos + 4:pos + 4 + name_len].decode()
        size, _crc = struct.unpack_from("<QI", data, pos + 4 + name_len)
        table.append((name, size))
        pos += 4 + name_len + 12
    pos += 4  # table checksum
    out = {}
    for name, size in table:
        out[name] = data[pos:pos + size]
        pos += size
    return out


def main():
    run = sys.argv[1]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    ckpt = os.path.join(run, "checkpoints", "latest.ckpt")
    parts = sections(ckpt)
    files = {
        "checkpoint/latest.ckpt": open(ckpt, "rb").read(),
        "checkpoint/previous.ckpt": open(os.path.join(run, "checkpoints", "previous.ckpt"), "rb").read(),
        "learner/learner.bin": parts["level/0/learner"],
        "replay/replay.bin": parts["level/0/replay"],
        "normalizer/obs.json": parts["level/0/obs_norm"],
        "normalizer/goal_pretty.json": json.dumps(json.loads(parts["level/0/goal_norm"]), indent=2).encode(),
        "config/config.yaml": open(os.path.join(run, "config.yaml"), "rb").read(),
    }
    shutil.rmtree(root, ignore_errors=True)
    for rel, data in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
