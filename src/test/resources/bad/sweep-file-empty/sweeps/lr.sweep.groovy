// expect: 1: the sweep file has no axes; write one per line, like lr 1e-3, 3e-4
// the learning rates go here
