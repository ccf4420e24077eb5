package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP pipelining from a client that never reads: every request it pipelines is answered at once (here 400
 * "Session ID unknown"), and the answers pile up in the server's memory unless the server stops reading while the
 * connection cannot take more. Bounded: at most {@link #CAP_BYTES} of requests, for at most {@link #PUSH_MS}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelinedUnreadAnswersTest {
    private static final long CAP_BYTES = 48L << 20;
    private static final long PUSH_MS = 8_000;
    /** Kernel buffers on both sides of a loopback connection hold a few MB; past that, only the server's heap would. */
    private static final long BOUND_BYTES = 16L << 20;

    @Test
    void aClientReadingNothingCannotMakeTheServerQueueAnswersWithoutBound() throws Exception {
        try (TestEngine engine = new TestEngine(TestEngine.fastOptions().build())) {
            byte[] request = RawHttp.get(TestEngine.PATH + "?EIO=4&transport=polling&sid=nosuchsession", engine.port())
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] chunk = new byte[request.length * (65_536 / request.length)];
            for (int off = 0; off < chunk.length; off += request.length) {
                System.arraycopy(request, 0, chunk, off, request.length);
            }
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // and never read from it
            socket.connect(new InetSocketAddress("127.0.0.1", engine.port()), 5000);
            AtomicLong pushed = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    while (pushed.get() < CAP_BYTES) {
                        out.write(chunk);
                        pushed.addAndGet(chunk.length);
                    }
                } catch (IOException closed) {
                    // closed by the test at the deadline, or by the server
                }
            }, "pipelining-writer");
            writer.start();
            writer.join(PUSH_MS);
            socket.close(); // unblocks a writer held by TCP flow control
            writer.join(5_000);

            assertThat(pushed.get())
                    .as("bytes of pipelined requests the server read (each one answered into memory)")
                    .isLessThan(BOUND_BYTES);
            assertThat(RawHttp.get("/health", engine.port())).isNotEmpty();
        }
    }
}
