// expect: 5: env name 'XM_SEED' is reserved: xmrun sets XM_* variables itself
experiment('x') {
    job('a') {
        command 'true'
        sweep { env { XM_SEED 1, 2 } }
    }
}
