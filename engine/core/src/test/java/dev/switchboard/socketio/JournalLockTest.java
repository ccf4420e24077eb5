package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.junit.jupiter.api.Test;

import dev.switchboard.engineio.EngineIoOptions;

/**
 * Every broadcast of a namespace that records (history or recovery) takes the namespace's journal lock to get its
 * offset; the JSON encoding, most of a broadcast's work, happens before it, so that concurrent emitters (the API's
 * selectors, the engine's I/O threads) wait on each other only for the offset, the record and the queueing. (The
 * MessagePack parser still encodes under the lock: its offset cannot be appended to an encoded packet.)
 */
class JournalLockTest {
    /** An argument whose serialization waits until the test lets it go. */
    private record Slow(String value) {
    }

    @Test
    void aTextEventSlowToSerializeHoldsUpNoOtherEmitterOfTheNamespace() throws Exception {
        slowEmitHoldsUpNoOtherEmitter();
    }

    @Test
    void aBinaryEventSlowToSerializeHoldsUpNoOtherEmitterOfTheNamespace() throws Exception {
        slowEmitHoldsUpNoOtherEmitter(new byte[] {1, 2, 3});
    }

    private static void slowEmitHoldsUpNoOtherEmitter(Object... moreArgs) throws Exception {
        CountDownLatch serializing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger serializations = new AtomicInteger();
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addSerializer(Slow.class,
                new JsonSerializer<>() {
                    @Override
                    public void serialize(Slow value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        serializations.incrementAndGet();
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
                    () -> ns.to("thread-1").emit("msg", args(new Slow("late"), moreArgs)));
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
            // the one encoding is the one before the lock: a second (the offset's) would be made under it
            assertThat(serializations).as("serializations of the slow argument").hasValue(1);
        }
    }

    private static Object[] args(Object first, Object... more) {
        Object[] all = new Object[more.length + 1];
        all[0] = first;
        System.arraycopy(more, 0, all, 1, more.length);
        return all;
    }
}
