package dev.switchboard.emitapi;

import dev.switchboard.engineio.AddressCounts;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one client can hold on the API port, so that callers dribbling bytes cannot starve {@code /health}
 * and {@code /emit}: at most {@code maxPerIp} open connections per client address (more are closed as they are
 * accepted), and a request (head and body) must be read and answered within {@code requestTimeout} (a sweep every
 * {@code requestTimeout} closes a connection found twice in a row in the middle of the same request, so the cut
 * comes between one and two timeouts after the request began). Jetty's idle timeout alone never fires for a caller
 * that sends one byte a second. Nothing is added to a request's own path: the sweep reads counters.
 */
final class ApiConnectionGuard implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ApiConnectionGuard.class);

    /** What the last sweep saw of one connection. */
    private static final class Watch {
        final InetAddress ip;
        long requestsSeen = -1;

        Watch(InetAddress ip) {
            this.ip = ip;
        }
    }

    private final int maxPerIp;
    private final long timeoutMillis;
    private final SwitchboardMetrics metrics;
    private final AddressCounts<InetAddress> perIp = new AddressCounts<>();
    private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
    private volatile Scheduler scheduler;
    private volatile Scheduler.Task sweep;

    /** @param maxPerIp 0 = unlimited; @param requestTimeout zero = no deadline */
    ApiConnectionGuard(int maxPerIp, Duration requestTimeout, SwitchboardMetrics metrics) {
        this.maxPerIp = maxPerIp;
        this.timeoutMillis = requestTimeout.toMillis();
        this.metrics = metrics;
    }

    /** Starts the sweep on the connector's scheduler. */
    void start(Scheduler scheduler) {
        this.scheduler = scheduler;
        if (timeoutMillis > 0) {
            sweep = scheduler.schedule(this::sweep, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        Scheduler.Task task = sweep;
        scheduler = null;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress ip = address(connection.getEndPoint().getRemoteSocketAddress());
        Watch watch = new Watch(ip);
        open.put(connection, watch);
        if (ip == null) {
            return;
        }
        int count = perIp.increment(ip);
        if (maxPerIp > 0 && count > maxPerIp) {
            metrics.refusal("api_too_many_connections");
            log.warn("api connection refused reason=too_many_connections ip={} limit={}", ip.getHostAddress(), maxPerIp);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Watch watch = open.remove(connection);
        if (watch != null && watch.ip != null) {
            perIp.decrement(watch.ip);
        }
    }

    /** Open connections from one address (for tests). */
    int connections(InetAddress ip) {
        return perIp.count(ip);
    }

    private void sweep() {
        try {
            open.forEach(this::check);
        } finally {
            Scheduler current = scheduler;
            if (current != null) {
                sweep = current.schedule(this::sweep, timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Closes the connection when it is still in the middle of the request the previous sweep saw. */
    private void check(Connection connection, Watch watch) {
        if (!(connection instanceof HttpConnection http)) {
            return;
        }
        long requests = connection.getMessagesIn();
        if (http.getParser().isStart()) {
            watch.requestsSeen = -1; // between requests: idle keep-alive is Jetty's idle timeout's business
            return;
        }
        if (watch.requestsSeen != requests) {
            watch.requestsSeen = requests;
            return;
        }
        metrics.refusal("api_request_timeout");
        log.warn("api connection closed reason=request_read_timeout ip={} timeoutMs={}",
                watch.ip == null ? "unknown" : watch.ip.getHostAddress(), timeoutMillis);
        connection.getEndPoint().close();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
