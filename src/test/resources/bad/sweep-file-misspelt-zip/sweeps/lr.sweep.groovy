// expect: 2: sweep axis 'zpi' cannot take a block; axes are written like `zpi 1, 2, 3`; did you mean 'zip'?
zpi {
    lr 1e-3, 3e-4
    warmup 100, 200
}
