package dev.switchboard.emitapi;

import io.micrometer.core.instrument.Counter;

/** Counters of one namespace, looked up once and kept: the per-event path only increments. */
public final class NamespaceMetrics {
    private final Counter eventsIn;
    private final Counter eventsOut;
    private final Counter emits;

    NamespaceMetrics(Counter eventsIn, Counter eventsOut, Counter emits) {
        this.eventsIn = eventsIn;
        this.eventsOut = eventsOut;
        this.emits = emits;
    }

    /** One event received from a client. */
    public void eventIn() {
        eventsIn.increment();
    }

    /** Messages handed to sockets (a broadcast reaching n sockets counts n). */
    public void eventsOut(int count) {
        if (count > 0) {
            eventsOut.increment(count);
        }
    }

    /** One broadcast requested through POST /emit. */
    public void emit() {
        emits.increment();
    }

    public long eventsInCount() {
        return (long) eventsIn.count();
    }

    public long eventsOutCount() {
        return (long) eventsOut.count();
    }

    public long emitCount() {
        return (long) emits.count();
    }
}
