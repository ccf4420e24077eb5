package dev.switchboard.channels;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Short alias of the test kit's deadline wait with this module's default timeout. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, String what) {
        dev.switchboard.testkit.Await.until(condition, Duration.ofSeconds(10), what);
    }
}
