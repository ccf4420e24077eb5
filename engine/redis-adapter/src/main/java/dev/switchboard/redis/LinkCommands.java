package dev.switchboard.redis;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;

/** The guards every {@link RedisLink} puts around a Redis command, whatever kind of Lettuce connection runs it. */
final class LinkCommands {
    private LinkCommands() {
    }

    /** A publish: completes false when the connection is down, Redis refused it or it could not be sent. */
    static CompletableFuture<Boolean> publish(StatefulConnection<?, ?> connection, Supplier<RedisFuture<Long>> command) {
        if (connection == null || !connection.isOpen()) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            return command.get().toCompletableFuture().handle((receivers, error) -> error == null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** A blocking command whose failure the caller must see: {@link ClusterUnavailableException} when it cannot run. */
    static <T> T run(StatefulConnection<?, ?> connection, String unreachable, Supplier<T> command) {
        if (connection == null || !connection.isOpen()) {
            throw new ClusterUnavailableException(unreachable);
        }
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("Redis command failed: " + e.getMessage());
        }
    }

    /**
     * A (un)subscribe sent now when the pub/sub connection is up; when it is not, nothing is sent: the link keeps
     * its handlers and subscribes them all again once it has (re)connected.
     */
    static void whenOpen(StatefulRedisPubSubConnection<String, byte[]> connection,
            Consumer<RedisPubSubAsyncCommands<String, byte[]>> command) {
        if (connection != null && connection.isOpen()) {
            command.accept(connection.async());
        }
    }

    static void closeQuietly(StatefulConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }
}
