// expect: 6: the launcher's method 'epochs' cannot take (Integer)
int epochs(String size) { size == 'big' ? 100 : 10 }
experiment('mnist') {
    job('train') {
        command 'python3', 'train.py'
        args epochs: epochs(3)
    }
}
