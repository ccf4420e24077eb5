package dev.switchboard.app.guard;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.app.config.RateLimitSettings;
import dev.switchboard.engineio.RateLimiter;
import dev.switchboard.namespaces.core.ClientErrors;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.EventInterceptor;
import dev.switchboard.socketio.EventRefusal;

/**
 * One socket's event rate limit, as an interceptor: an event over the rate never reaches a handler. The client
 * gets an {@code error} RATE_LIMITED at most once per second (an event that asked for an ack always gets a
 * refusing ack); a socket over the rate in {@code disconnectAfterSeconds} consecutive seconds is disconnected.
 */
final class EventRateLimit implements EventInterceptor {
    static final String REASON = "rate_limited";
    private static final Logger log = LoggerFactory.getLogger(EventRateLimit.class);

    private final RateLimiter limiter;
    private final int eventsPerSecond;
    private boolean throttleLogged; // the socket's queue runs interceptors one at a time

    EventRateLimit(RateLimitSettings settings) {
        this.limiter = new RateLimiter(settings.eventsPerSecond(), settings.burst(), settings.disconnectAfterSeconds(),
                System.nanoTime());
        this.eventsPerSecond = settings.eventsPerSecond();
    }

    @Override
    public void intercept(Event event) throws EventRefusal {
        RateLimiter.Verdict verdict = limiter.onEvent(System.nanoTime());
        if (verdict.allowed()) {
            return;
        }
        String message = "too many events: at most " + eventsPerSecond + " per second; event dropped";
        switch (verdict) {
            case DROP -> {
                if (event.wantsAck()) {
                    event.ack(Map.of("ok", false, "code", "RATE_LIMITED", "message", message));
                }
            }
            case DROP_FIRST_THIS_SECOND -> {
                if (!throttleLogged) {
                    throttleLogged = true;
                    log.warn("events dropped namespace={} socketId={} reason=rate_limited limitPerSec={}",
                            event.socket().namespace().name(), event.socket().id(), eventsPerSecond);
                }
                ClientErrors.send(event, "RATE_LIMITED", message);
            }
            case DISCONNECT -> {
                log.warn("socket disconnected namespace={} socketId={} reason=sustained_rate_limit limitPerSec={}",
                        event.socket().namespace().name(), event.socket().id(), eventsPerSecond);
                ClientErrors.send(event, "RATE_LIMITED", "too many events for too long; disconnecting");
                event.socket().disconnect(false);
            }
            default -> throw new IllegalStateException(verdict.name());
        }
        throw new EventRefusal(REASON);
    }
}
