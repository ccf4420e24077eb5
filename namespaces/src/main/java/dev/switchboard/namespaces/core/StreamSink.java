package dev.switchboard.namespaces.core;

/** Where an upstream delivers: every subscriber of its topic (one room, one encode per event). */
public interface StreamSink {

    /** Sends an event to every subscriber of the topic. */
    void emit(String event, Object payload);

    /** Like emit, but dropped for subscribers whose outbound buffer is full (for periodic samples). */
    void emitVolatile(String event, Object payload);

    /** The upstream ended by itself: subscribers get {@code stream:closed} with this payload and are released. */
    void closed(Object payload);
}
