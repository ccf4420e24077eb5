package dev.switchboard.socketio;

/**
 * A socket's event handlers by name: an immutable pair of arrays, replaced on each registration. A socket has a
 * handful of handlers, registered once on connection and read on every received event, so a linear scan over a
 * few names beats a hash map and costs a tenth of its memory.
 */
final class HandlerTable {
    static final HandlerTable EMPTY = new HandlerTable(new String[0], new EventHandler[0]);

    private final String[] names;
    private final EventHandler[] handlers;

    private HandlerTable(String[] names, EventHandler[] handlers) {
        this.names = names;
        this.handlers = handlers;
    }

    EventHandler get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return handlers[i];
            }
        }
        return null;
    }

    /** A table with {@code handler} for {@code name}, replacing an earlier one (as a map put would). */
    HandlerTable with(String name, EventHandler handler) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                EventHandler[] replaced = handlers.clone();
                replaced[i] = handler;
                return new HandlerTable(names, replaced);
            }
        }
        String[] moreNames = java.util.Arrays.copyOf(names, names.length + 1);
        EventHandler[] moreHandlers = java.util.Arrays.copyOf(handlers, handlers.length + 1);
        moreNames[names.length] = name;
        moreHandlers[handlers.length] = handler;
        return new HandlerTable(moreNames, moreHandlers);
    }
}
