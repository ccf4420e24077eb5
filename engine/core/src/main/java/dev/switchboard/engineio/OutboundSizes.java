package dev.switchboard.engineio;

/** Byte accounting of queued outbound items (messages count, control packets are negligible). */
final class OutboundSizes {
    private OutboundSizes() {
    }

    static long sizeOf(Object item) {
        if (item instanceof EngineMessage m) return m.wireSize();
        if (item instanceof EngineMessage[] group) {
            long total = 0;
            for (EngineMessage m : group) total += m.wireSize();
            return total;
        }
        return 0;
    }
}
