package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.switchboard.namespaces.core.ProducerException;
import dev.switchboard.namespaces.core.StreamSink;
import dev.switchboard.namespaces.core.Upstream;

/** The sharing rule alone, with an upstream that is a counter: Docker's side is in the Services*Test classes. */
class SharedFollowsTest {
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<StreamSink> upstreamSinks = new ArrayList<>();

    private Upstream open(String id, String label, StreamSink sink) throws ProducerException {
        if (id.startsWith("gone")) {
            throw new ProducerException("NOT_FOUND", "no such container: " + label);
        }
        opened.incrementAndGet();
        upstreamSinks.add(sink);
        return closed::incrementAndGet;
    }

    @Test
    void namesOfOneIdShareOneUpstreamEachHearingItsOwnName() throws ProducerException {
        SharedFollows<String, Upstream> follows = new SharedFollows<>(this::open);
        Recorder web = new Recorder();
        Recorder byPrefix = new Recorder();
        SharedFollows<String, Upstream>.View first = follows.attach("abc123", "web", web);
        SharedFollows<String, Upstream>.View second = follows.attach("abc123", "abc1", byPrefix);
        assertThat(opened).hasValue(1);
        assertThat(follows.openUpstreams()).isEqualTo(1);

        upstreamSinks.get(0).emit("logs", Map.of("container", "abc123", "data", "x"));
        assertThat(web.events).containsExactly("logs " + Map.of("container", "web", "data", "x"));
        assertThat(byPrefix.events).containsExactly("logs " + Map.of("container", "abc1", "data", "x"));

        first.detach();
        assertThat(closed).as("still one view").hasValue(0);
        second.detach();
        second.detach();
        assertThat(closed).hasValue(1);
        assertThat(follows.openUpstreams()).isZero();
    }

    @Test
    void aFailedOpenAnswersTheNameItWasAskedByAndLeavesNothingBehind() throws ProducerException {
        SharedFollows<String, Upstream> follows = new SharedFollows<>(this::open);
        assertThatThrownBy(() -> follows.attach("gone-9f8e7d", "db", new Recorder()))
                .isInstanceOf(ProducerException.class).hasMessage("no such container: db");
        assertThat(follows.openUpstreams()).isZero();
        follows.attach("abc123", "web", new Recorder());
        assertThat(follows.openUpstreams()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatEndsLeavesAtOnceSoTheNextNameOpensAFreshOne() throws ProducerException {
        SharedFollows<String, Upstream> follows = new SharedFollows<>(this::open);
        Recorder web = new Recorder();
        follows.attach("abc123", "web", web);
        upstreamSinks.get(0).closed(Map.of("container", "abc123", "reason", "exited"));
        assertThat(web.events).containsExactly("closed " + Map.of("container", "web", "reason", "exited"));
        assertThat(follows.openUpstreams()).isZero();
        follows.attach("abc123", "web", new Recorder());
        assertThat(opened).hasValue(2);
    }

    private static final class Recorder implements StreamSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void emit(String event, Object payload) {
            events.add(event + " " + payload);
        }

        @Override
        public void emitVolatile(String event, Object payload) {
            emit(event, payload);
        }

        @Override
        public void closed(Object payload) {
            events.add("closed " + payload);
        }
    }
}
