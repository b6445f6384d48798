package xmrun.dsl

import groovy.transform.CompileStatic

/** The value of {@code none} in {@code sweep none}: a job that runs once, outside the experiment's sweep. */
@CompileStatic
enum NoSweep {
    NONE

    String toString() { 'none' }
}
