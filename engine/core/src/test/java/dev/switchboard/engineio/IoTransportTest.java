package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Which socket transport the listener runs on is logged once at start, with the reason when it is not epoll. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoTransportTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.switchboard.engineio");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    @Test
    void aStartOnLinuxWithAShippedNativeLogsEpollOnce() {
        // the natives shipped: Linux x86_64 and aarch64 (os.arch "amd64" / "aarch64")
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "epoll is Linux only");
        assumeTrue(Set.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch")), "no native shipped");
        try (EngineIoServer server = EngineIoServer.create(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .start()) {
            assertThat(server.port()).isPositive();
        }
        List<String> lines = transportLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("event=transport_selected transport=epoll os=Linux arch=")
                .doesNotContain("reason=");
        assertThat(messages()).anyMatch(m -> m.startsWith("engine.io server listening") && m.contains(" io=epoll "));
    }

    @Test
    void withoutEpollTheNioFallbackIsLoggedWithTheCauseChainOnOneLine() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("failed to load the required native library");
        cause.initCause(new UnsatisfiedLinkError("no netty_transport_native_epoll_aarch_64 in java.library.path:\n"
                + "/usr/lib \"quoted\""));

        IoTransport transport = IoTransport.select(false, cause);

        assertThat(transport.name()).isEqualTo("nio");
        assertThat(transport.serverChannel()).isEqualTo(NioServerSocketChannel.class);
        assertThat(transportLines()).containsExactly("event=transport_selected transport=nio os="
                + System.getProperty("os.name") + " arch=" + System.getProperty("os.arch")
                + " reason=\"java.lang.UnsatisfiedLinkError: failed to load the required native library"
                + " <- java.lang.UnsatisfiedLinkError: no netty_transport_native_epoll_aarch_64 in java.library.path:"
                + " /usr/lib 'quoted'\"");
    }

    @Test
    void anUnknownCauseIsSaidSo() {
        assertThat(IoTransport.select(false, null).name()).isEqualTo("nio");
        assertThat(transportLines()).singleElement().asString().endsWith(" reason=\"unknown\"");
    }

    @Test
    void epollAvailableSelectsTheEpollChannel() {
        assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll native not loadable here");
        IoTransport transport = IoTransport.select(true, null);
        assertThat(transport.name()).isEqualTo("epoll");
        assertThat(transport.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    }

    private List<String> transportLines() {
        return messages().stream().filter(m -> m.startsWith("event=transport_selected")).toList();
    }

    private List<String> messages() {
        synchronized (captured.list) {
            return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
