package dev.switchboard.app;

import java.util.List;

/** Entry point of the child JVM in {@link GracefulShutdownTest}: the real Main with a test namespace. */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Main.run(System.getenv(), config -> List.of(new EchoNamespace("/echo")));
    }
}
