// expect: 5: env name 'XM_WORK_DIR' is reserved: xmrun sets XM_* variables itself
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        env XM_WORK_DIR: '/tmp'
    }
}
