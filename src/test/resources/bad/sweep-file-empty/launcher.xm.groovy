experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        sweep file('sweeps/lr.sweep.groovy')
    }
}
