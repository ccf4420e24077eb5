package dev.switchboard.redis;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How one namespace's join, leave and disconnect requests are published for the other nodes, in the wire format
 * of the adapter mode. Each future completes with whether Redis took the request.
 */
interface ClusterRequests {
    /** Sharded mode, a namespace not declared on this node: no adapter, so no channel of its own to publish on. */
    ClusterRequests NOT_PUBLISHED = new ClusterRequests() {
        private static final CompletableFuture<Boolean> NO = CompletableFuture.completedFuture(false);

        @Override
        public CompletableFuture<Boolean> socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join) {
            return NO;
        }

        @Override
        public CompletableFuture<Boolean> socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave) {
            return NO;
        }

        @Override
        public CompletableFuture<Boolean> disconnectSockets(Set<String> rooms, Set<String> except, boolean close) {
            return NO;
        }
    };

    CompletableFuture<Boolean> socketsJoin(Set<String> rooms, Set<String> except, Collection<String> join);

    CompletableFuture<Boolean> socketsLeave(Set<String> rooms, Set<String> except, Collection<String> leave);

    CompletableFuture<Boolean> disconnectSockets(Set<String> rooms, Set<String> except, boolean close);
}
