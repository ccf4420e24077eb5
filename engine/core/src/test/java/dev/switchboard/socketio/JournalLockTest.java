package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineIoOptions;

/**
 * Every broadcast of a namespace that records (history or recovery) takes the namespace's journal lock to get its
 * offset; a text event's JSON encoding, most of a broadcast's work, happens before it, so that concurrent emitters
 * (the API's selectors, the engine's I/O threads) wait on each other only for the offset, the record and the
 * queueing. (A binary event or the MessagePack parser still encodes under the lock: the offset cannot be appended.)
 */
class JournalLockTest {
    /** An argument whose serialization waits until the test lets it go. */
    private record Slow(String value) {
    }

    @Test
    void aTextArgumentSlowToSerializeHoldsUpNoOtherEmitterOfTheNamespace() throws Exception {
        CountDownLatch serializing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addSerializer(Slow.class,
                new JsonSerializer<>() {
                    @Override
                    public void serialize(Slow value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        serializing.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        gen.writeString(value.value());
                    }
                }));
        try (SocketIoServer io = SocketIoServer.builder().objectMapper(mapper)
                .engine(EngineIoOptions.builder().host("127.0.0.1").port(0).build()).build()) {
            Namespace ns = io.of("/hist").history("thread-.*", 5, null);
            io.start();
            CompletableFuture<Void> slow = CompletableFuture.runAsync(
                    () -> ns.to("thread-1").emit("msg", new Slow("late")));
            try {
                assertThat(serializing.await(10, TimeUnit.SECONDS)).as("the slow argument is being serialized")
                        .isTrue();
                CompletableFuture<Void> fast = CompletableFuture.runAsync(
                        () -> ns.to("thread-2").emit("msg", "now"));
                fast.get(10, TimeUnit.SECONDS); // before: blocked on the journal lock until the slow one finished
                assertThat(slow).as("the slow broadcast is still serializing").isNotDone();
            } finally {
                release.countDown();
            }
            slow.get(10, TimeUnit.SECONDS);
        }
    }
}
