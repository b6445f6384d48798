// expect: 4: unknown word 'queu' in sge { }; did you mean 'queue'?
cluster('lab') {
    scheduler 'sge'
    sge { queu 'all.q' }
}
