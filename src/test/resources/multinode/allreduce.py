"""A gloo all_reduce of every rank's number: the sum tells that all ranks took part."""
import json
import os
import sys

import torch
import torch.distributed as dist

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
t = torch.tensor([float(rank)])
dist.all_reduce(t)
print(json.dumps({"rank": rank, "world": world, "sum": t.item(), "node": os.environ.get("SLURMD_NODENAME"),
                  "argv": sys.argv[1:]}), flush=True)
dist.destroy_process_group()
