package dev.switchboard.app;

import java.util.List;

/**
 * Entry point of the child JVM in {@link GracefulShutdownTest}: the real Main with a test namespace, and with
 * {@code TEST_STUCK_CLOSE=true} a second one whose close() never returns.
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean stuck = Boolean.parseBoolean(System.getenv("TEST_STUCK_CLOSE"));
        Main.run(System.getenv(), config -> stuck
                ? List.of(new EchoNamespace("/echo"), new StuckNamespace())
                : List.of(new EchoNamespace("/echo")));
    }

    /** A namespace whose producers never let go: close() blocks forever. */
    private static final class StuckNamespace implements dev.switchboard.namespaces.core.SwitchboardNamespace,
            dev.switchboard.namespaces.core.RunningNamespace {
        @Override
        public String name() {
            return "/stuck";
        }

        @Override
        public dev.switchboard.namespaces.core.RunningNamespace install(
                dev.switchboard.namespaces.core.NamespaceContext context) {
            return this;
        }

        @Override
        public int activeStreams() {
            return 0;
        }

        @Override
        public void close() {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
