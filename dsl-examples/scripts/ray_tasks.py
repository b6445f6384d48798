"""A Ray driver: the cluster xmrun started for it, and one task pinned to each of its nodes."""
import socket
import sys

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

ray.init()  # RAY_ADDRESS: the cluster of this work unit
nodes = [n for n in ray.nodes() if n["Alive"]]


@ray.remote(num_cpus=1)
def host():
    return socket.gethostname()


on = ray.get([host.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote() for n in nodes])
print(f"{len(nodes)} Ray nodes; a task ran on each: {on}; my arguments: {sys.argv[1:]}")
