// expect: 5: a launcher describes one experiment; this is the second experiment { } block
experiment('mnist') {
    job('train') { command 'true' }
}
experiment('cifar') {
    job('train') { command 'true' }
}
