// expect: 2: the launcher calls itself without end (stack overflow)
int depth(int n) { depth(n + 1) }
experiment('mnist') {
    job('train') { command 'true'; args depth: depth(0) }
}
