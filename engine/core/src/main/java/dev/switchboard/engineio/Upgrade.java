package dev.switchboard.engineio;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * A WebSocket offered to a polling session, from its 101 until the client's upgrade packet (or an abort). While
 * it runs the session holds its packets back. Session loop only.
 */
final class Upgrade {
    /** What the session does after a packet from the candidate. */
    enum Step { WAIT, COMPLETE, ABORT }

    final Transport candidate;
    private final Transport current;
    private final ScheduledFuture<?> timeout;
    private boolean probed;

    Upgrade(Transport current, Transport candidate, ScheduledFuture<?> timeout) {
        this.current = current;
        this.candidate = candidate;
        this.timeout = timeout;
    }

    Step onPacket(InboundPacket packet) {
        if (packet.type() == PacketType.PING && "probe".equals(packet.text())) {
            // answer the probe first, then release the pending poll: the client pauses polling only after
            // the probe answer, and the released (or any later) poll lets that pause complete
            candidate.send(new ArrayDeque<>(List.of(OutboundControl.PONG_PROBE)));
            probed = true;
            current.discard();
            return Step.WAIT;
        }
        return packet.type() == PacketType.UPGRADE ? Step.COMPLETE : Step.ABORT;
    }

    /** A poll parked on the current transport meanwhile: once probed, every poll is released at once. */
    void onPollParked() {
        if (probed) current.discard();
    }

    /** Ends it; the candidate is closed unless it becomes the session's transport. */
    void end(boolean candidateWins) {
        timeout.cancel(false);
        if (!candidateWins) candidate.closeNow();
    }
}
