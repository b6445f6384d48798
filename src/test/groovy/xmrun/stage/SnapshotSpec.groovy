package xmrun.stage

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

class SnapshotSpec extends Specification {
    @TempDir
    Path dir

    Path code
    Path root

    def setup() {
        code = Files.createDirectories(dir.resolve('code'))
        root = dir.resolve('home')
        Files.createDirectories(code.resolve('pkg'))
        code.resolve('pkg/model.py').toFile().text = 'print(1)\n'
        code.resolve('run.sh').toFile().text = 'python3 pkg/model.py\n'
        Files.setPosixFilePermissions(code.resolve('run.sh'), PosixFilePermissions.fromString('rwxr-xr-x'))
        Files.createDirectories(dir.resolve('data'))
        Files.createSymbolicLink(code.resolve('data'), dir.resolve('data'))
    }

    CodeTree scan() {
        CodeTree.scan(code, [], [root])
    }

    def 'a snapshot holds the code as scanned: read-only files linked to blobs, modes kept, a symbolic link kept as one'() {
        when:
        def taken = Snapshot.take(scan(), root)
        Path snap = taken.codeDir()
        code.resolve('pkg/model.py').toFile().text = 'print(2)\n'

        then:
        taken.filesCopied() == 2
        Files.readString(snap.resolve('pkg/model.py')) == 'print(1)\n'
        Files.isExecutable(snap.resolve('run.sh'))
        PosixFilePermissions.toString(Files.getPosixFilePermissions(snap.resolve('pkg/model.py'))) == 'r--r--r--'
        Files.isSymbolicLink(snap.resolve('data'))
        Files.readSymbolicLink(snap.resolve('data')) == dir.resolve('data')
        Files.isSameFile(snap.resolve('pkg/model.py'), root.resolve('blobs').resolve(scanOf(snap, 'pkg/model.py')))
        Files.exists(snap.resolve(CodeTree.COMPLETE))
        CodeTree.scan(snap, []).hash() == taken.codeDir().fileName.toString()
    }

    def 'the same code again copies nothing; a changed file copies only itself, into a snapshot of its own'() {
        given:
        def first = Snapshot.take(scan(), root)

        when:
        def again = Snapshot.take(scan(), root)
        code.resolve('pkg/model.py').toFile().text = 'print(2)\n'
        def changed = Snapshot.take(scan(), root)

        then:
        again.codeDir() == first.codeDir()
        again.filesCopied() == 0
        changed.codeDir() != first.codeDir()
        changed.filesCopied() == 1
        changed.filesUnchanged() == 1
        Files.readString(first.codeDir().resolve('pkg/model.py')) == 'print(1)\n'
        Files.readString(changed.codeDir().resolve('pkg/model.py')) == 'print(2)\n'
    }

    def 'xmrun home under the code directory is never part of a snapshot'() {
        given:
        root = code.resolve('.state')

        when:
        def taken = Snapshot.take(scan(), root)
        def again = Snapshot.take(scan(), root)

        then:
        again.codeDir() == taken.codeDir()
        scan().files()*.path() == ['data', 'pkg/model.py', 'run.sh']
    }

    def 'a link changes the digest as a file does'() {
        given:
        String before = scan().hash()

        when:
        Files.delete(code.resolve('data'))
        Files.createSymbolicLink(code.resolve('data'), Path.of('/elsewhere'))

        then:
        scan().hash() != before
        scan().files().find { it.path() == 'data' }.link() == '/elsewhere'
    }

    static String scanOf(Path snap, String path) {
        CodeTree.scan(snap, []).files().find { it.path() == path }.sha256()
    }
}
