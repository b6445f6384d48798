// expect: 5: sweep file 'sweeps/lr.sweep.grovy' not found (relative to this file); did you mean 'sweeps/lr.sweep.groovy'?
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep file('sweeps/lr.sweep.grovy')
    }
}
