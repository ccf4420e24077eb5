package dev.switchboard.namespaces.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.testkit.NodeSocket;

/**
 * The handler helper every namespace declares its client events with, seen from the real socket.io-client: the
 * typed request, the ack, the error event with its code, and the greeting's event list made from the declarations.
 */
class ClientEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final NodeClients clients = new NodeClients();
    private NamespaceTestServer server;

    /** {@code greet {name}} acks {@code {ok, greeting}}; {@code list} acks or emits; {@code nothing} answers nothing. */
    private static final class GreeterNamespace implements SwitchboardNamespace, RunningNamespace {
        private final ClientEvents events = new ClientEvents()
                .on("greet", GreeterNamespace::parseName, (socket, name) -> Reply.ok("greeting", "hello " + name))
                .on("list", socket -> Reply.ackOrEmit("list", List.of("a", "b")))
                .on("nothing", socket -> Reply.none());

        private static String parseName(dev.switchboard.socketio.Event event) throws ProducerException {
            JsonNode name = event.arg(0).path("name");
            if (!name.isTextual()) {
                throw new ProducerException("BAD_REQUEST", "greet expects {name}");
            }
            return name.textValue();
        }

        @Override
        public String name() {
            return "/greeter";
        }

        @Override
        public RunningNamespace install(NamespaceContext context) {
            context.namespace().onConnection(socket -> {
                events.attach(socket);
                // as /mcp does without a forward URL: any other event is refused, quoting its name
                socket.onAny(event -> ClientEvents.run(event, (s, e) -> {
                    throw new ProducerException("UNKNOWN_EVENT", "event '" + e.name() + "' is not handled here");
                }));
                socket.emit("connected", Map.of("events", events.names()));
            });
            return this;
        }

        @Override
        public int activeStreams() {
            return 0;
        }
    }

    @BeforeEach
    void start() {
        server = NamespaceTestServer.start(new GreeterNamespace());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theGreetingListsTheDeclaredEventsInOrder() {
        NodeSocket socket = clients.connect(server, WAIT);
        assertThat(socket.awaitEvent("connected", WAIT).get(0).path("events").toString())
                .isEqualTo("[\"greet\",\"list\",\"nothing\"]");
    }

    @Test
    void aParsedRequestIsHandledAndItsReplyIsTheAck() {
        NodeSocket socket = clients.connect(server, WAIT);
        JsonNode ack = socket.emitWithAck("greet", WAIT, Map.of("name", "ada")).get(0);
        assertThat(ack.toString()).isEqualTo("{\"ok\":true,\"greeting\":\"hello ada\"}");
    }

    @Test
    void aRequestThatDoesNotParseGetsTheErrorEventAndTheFailedAck() {
        NodeSocket socket = clients.connect(server, WAIT);
        JsonNode ack = socket.emitWithAck("greet", WAIT, "ada").get(0);
        assertThat(ack.toString()).isEqualTo("{\"ok\":false,\"code\":\"BAD_REQUEST\",\"message\":\"greet expects {name}\"}");
        assertThat(socket.awaitEvent("error", WAIT).get(0).toString())
                .isEqualTo("{\"event\":\"greet\",\"code\":\"BAD_REQUEST\",\"message\":\"greet expects {name}\"}");
    }

    @Test
    void anErrorRepeatsOnlyABoundedPartOfWhatTheClientSent() {
        NodeSocket socket = clients.connect(server, WAIT);
        String name = "e".repeat(100_000);
        JsonNode ack = socket.emitWithAck(name, WAIT).get(0);
        JsonNode error = socket.awaitEvent("error", WAIT).get(0);
        assertThat(error.path("code").asText()).isEqualTo("UNKNOWN_EVENT");
        assertThat(error.path("event").asText()).hasSize(ClientErrors.MAX_EVENT_CHARS + 1).startsWith("eee").endsWith("…");
        assertThat(error.path("message").asText()).hasSize(ClientErrors.MAX_MESSAGE_CHARS + 1).startsWith("event 'eee");
        assertThat(ack.path("message").asText()).isEqualTo(error.path("message").asText());
        assertThat(ClientErrors.clip("ab\uD83D\uDE00cd", 3)).as("never half a surrogate pair").isEqualTo("ab…");
    }

    @Test
    void aReplyForAClientThatAskedNoAckIsEmittedWhenTheHandlerSaysSo() {
        NodeSocket socket = clients.connect(server, WAIT);
        assertThat(socket.emitWithAck("list", WAIT).get(0).toString()).isEqualTo("[\"a\",\"b\"]");
        socket.emit("list");
        assertThat(socket.awaitEvent("list", WAIT).get(0).toString()).isEqualTo("[\"a\",\"b\"]");
        socket.emit("greet", Map.of("name", "ada")); // no ack asked: nothing comes back
        socket.emit("nothing");
        assertThat(socket.emitWithAck("greet", WAIT, Map.of("name", "bob")).get(0).path("greeting").asText())
                .isEqualTo("hello bob");
        assertThat(socket.events("greet")).isEmpty();
        assertThat(socket.events("error")).isEmpty();
    }
}
