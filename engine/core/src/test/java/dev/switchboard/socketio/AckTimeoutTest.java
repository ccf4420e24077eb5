package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.testkit.ClientOptions;
import dev.switchboard.testkit.NodeClientDriver;
import dev.switchboard.testkit.NodeSocket;

/** The builder's ackTimeout is the default of server-to-client emitWithAck (null timeout). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AckTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void defaultAckTimeoutFailsAnUnansweredAckAndAnAnsweredOneCompletes() throws Exception {
        LinkedBlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        try (SocketIoServer io = SocketIoServer.builder()
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build())
                .ackTimeout(Duration.ofMillis(600)).build();
             NodeClientDriver driver = NodeClientDriver.start()) {
            io.of("/").onConnection(socket -> socket.on("ask", ev -> {
                long start = System.nanoTime();
                socket.emitWithAck("question", null, ev.arg(0).asText()).whenComplete((args, error) -> {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    outcomes.add(error == null ? "ok:" + args.get(0).asText()
                            : error.getClass().getSimpleName() + ":" + ms);
                });
            }));
            io.start();
            NodeSocket client = driver.connect("http://127.0.0.1:" + io.port(), "/",
                    ClientOptions.defaults().reconnection(false));
            client.awaitConnect(WAIT);

            client.emit("ask", "ignored"); // the client never answers this one
            String timedOut = outcomes.poll(10, TimeUnit.SECONDS);
            assertThat(timedOut).startsWith(TimeoutException.class.getSimpleName() + ":");
            assertThat(Long.parseLong(timedOut.substring(timedOut.indexOf(':') + 1))).isBetween(550L, 5_000L);

            client.emit("ask", "answered");
            var question = client.awaitServerEvent("question", a -> a.get(0).asText().equals("answered"), 1, WAIT);
            question.ack("yes");
            assertThat(outcomes.poll(10, TimeUnit.SECONDS)).isEqualTo("ok:yes");
        }
    }
}
