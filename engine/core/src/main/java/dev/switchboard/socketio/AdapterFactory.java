package dev.switchboard.socketio;

/** Creates the {@link Adapter} of one namespace; the default is {@link InMemoryAdapter#new}. */
@FunctionalInterface
public interface AdapterFactory {
    Adapter create(BroadcastTarget namespace);
}
