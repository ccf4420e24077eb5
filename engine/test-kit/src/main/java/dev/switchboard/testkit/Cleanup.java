package dev.switchboard.testkit;

/** Tear-down for tests that start several things: servers, Redis, client drivers. */
public final class Cleanup {
    private Cleanup() {
    }

    /** Closes every resource that is not null, in order; one failing does not leave the rest open. */
    public static void closeAll(AutoCloseable... resources) {
        IllegalStateException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("close failed: " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
