// A sweep file: the inside of a sweep { } block, shared by shared-sweep.xm.groovy and
// sweep-algebra.xm.groovy through  sweep file('sweeps/lr.sweep.groovy').
//   bin/xmrun sweep dsl-examples/sweeps/lr.sweep.groovy
lr     1e-3, 3e-4
warmup 0, 100
exclude { lr == 3e-4 && warmup == 0 }   // the smaller rate always warms up: 3 points
