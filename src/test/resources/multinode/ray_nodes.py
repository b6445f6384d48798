"""A Ray driver: how many Ray nodes it sees, a task pinned to each of them reporting its Slurm node, and its own node."""
import json
import os
import sys

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

ray.init()  # the cluster the launch helper started: RAY_ADDRESS
nodes = [n for n in ray.nodes() if n["Alive"]]


@ray.remote(num_cpus=1)
def where():
    return os.environ.get("SLURMD_NODENAME", "?")


on = ray.get([where.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote()
              for n in nodes])
print(json.dumps({"nodes": len(nodes), "tasks_on": sorted(on), "driver_on": os.environ.get("SLURMD_NODENAME", "?"),
                  "argv": sys.argv[1:]}), flush=True)
