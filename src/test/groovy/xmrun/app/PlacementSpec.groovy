package xmrun.app

import spock.lang.Specification
import xmrun.UserError

class PlacementSpec extends Specification {
    def 'cluster names are read as --cluster and the launcher give them: #written'() {
        expect:
        Placement.names(written) == names

        where:
        written          || names
        'slurm'          || ['slurm']
        'mila,narval'    || ['mila', 'narval']
        ' mila , narval' || ['mila', 'narval']
    }

    def 'a name left empty or given twice is a usage error: #written'() {
        when:
        Placement.names(written)

        then:
        UserError e = thrown()
        e.message == message

        where:
        written    || message
        'a,,b'     || "xmrun: empty cluster name in 'a,,b'; name clusters as a,b"
        'a,'       || "xmrun: empty cluster name in 'a,'; name clusters as a,b"
        'a,b,a'    || "xmrun: cluster 'a' is named twice in 'a,b,a'"
    }
}
