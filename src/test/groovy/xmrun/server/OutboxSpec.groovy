package xmrun.server

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.nio.charset.StandardCharsets
import java.nio.file.Path

/** A served command's output on the wire: few frames, in the order written, none kept back. */
@Timeout(20)
class OutboxSpec extends Specification {
    @TempDir
    Path dir
    ServerSocketChannel listener
    Wire server
    Wire client

    def setup() {
        def address = UnixDomainSocketAddress.of(dir.resolve('s.sock'))
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address)
        client = new Wire(SocketChannel.open(address))
        server = new Wire(listener.accept())
    }

    def cleanup() {
        listener.close()
    }

    /** Frames until one of type {@code last}: [type, text] pairs. */
    List<List> receiveUntil(byte last) {
        List<List> frames = []
        while (true) {
            int type = client.receive()
            frames << [(char) type, new String(client.data, StandardCharsets.UTF_8)]
            if (type == last || type < 0) {
                return frames
            }
        }
    }

    def 'a table printed a line at a time reaches the client whole, in a few frames'() {
        given:
        def outbox = new Streams.Outbox(server)
        def out = new PrintWriter(new OutputStreamWriter(outbox.stream(Wire.OUT), StandardCharsets.UTF_8), true)
        def lines = (1..1000).collect { "unit $it PENDING ${'x' * 40}" }

        when:
        lines.each { out.println(it) }
        outbox.flush()
        server.sendInt(Wire.EXIT, 0)
        def frames = receiveUntil(Wire.EXIT)

        then:
        frames.init().every { it[0] == (char) Wire.OUT }
        frames.init().collect { it[1] }.join('') == lines.collect { it + '\n' }.join('')
        frames.size() - 1 <= 5
    }

    def 'stdout and stderr keep the order they were written in'() {
        given:
        def outbox = new Streams.Outbox(server)
        def out = outbox.stream(Wire.OUT)
        def err = outbox.stream(Wire.ERR)

        when:
        out.write('one\n'.bytes)
        out.write('two\n'.bytes)
        err.write('warning\n'.bytes)
        out.write('three\n'.bytes)
        outbox.flush()
        server.sendInt(Wire.EXIT, 0)

        then:
        receiveUntil(Wire.EXIT).init() == [['O' as char, 'one\ntwo\n'], ['E' as char, 'warning\n'], ['O' as char, 'three\n']]
    }

    def 'a line is sent without a flush, within moments'() {
        given:
        def outbox = new Streams.Outbox(server)

        when: 'the command writes one line and goes on with something slow'
        outbox.stream(Wire.OUT).write('progress: 1/10\n'.bytes)
        int type = client.receive() // never flushed: a kept-back line times the feature out

        then:
        type == Wire.OUT
        new String(client.data, StandardCharsets.UTF_8) == 'progress: 1/10\n'
    }

    def 'a prompt is on the screen before the command waits for stdin'() {
        given:
        def outbox = new Streams.Outbox(server)
        def input = new Streams.Input(server, outbox)

        when:
        outbox.stream(Wire.ERR).write('verification code: '.bytes)
        Thread reader = Thread.start { input.read(new byte[16], 0, 16) }
        def frames = receiveUntil(Wire.WANT_IN)
        input.offer(null)
        reader.join()

        then:
        frames*.get(0) == ['E' as char, 'W' as char]
        frames[0][1] == 'verification code: '
    }

    def 'nothing more is sent once the command is silenced'() {
        given:
        def outbox = new Streams.Outbox(server)

        when:
        outbox.stream(Wire.OUT).write('before\n'.bytes)
        outbox.silence()
        outbox.stream(Wire.OUT).write('after\n'.bytes)
        outbox.flush()
        server.sendInt(Wire.EXIT, 130)

        then: 'the exit code alone'
        receiveUntil(Wire.EXIT)*.get(0) == ['X' as char]
        client.dataInt() == 130
    }
}
