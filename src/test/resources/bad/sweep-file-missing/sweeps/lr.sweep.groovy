lr 1e-3, 3e-4
