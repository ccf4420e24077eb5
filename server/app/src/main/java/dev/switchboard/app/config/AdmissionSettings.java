package dev.switchboard.app.config;

import java.time.Duration;
import java.util.List;

/**
 * Admission on the public port, before any namespace: Engine.IO sessions counted from the handshake (global, per
 * client address, handshake rate per address), TCP connections (global, per peer address), the deadline for a
 * request head, which Host names are answered (DNS rebinding), and when connections that read nothing are cut for
 * the memory they hold together.
 *
 * @param allowedHosts public names answered besides the loopback names ({@link AllowedHosts})
 * @param checkHost    whether Host is checked on the public port: a local development server (loopback, not
 *                     exposed), or any server with ALLOWED_HOSTS set
 * @param memoryShedPercent MEMORY_SHED_PERCENT: past this percent of direct memory or of the heap after a
 *                     collection, the connections holding the most unread bytes are closed (0 = never)
 */
public record AdmissionSettings(
        int maxSessions,
        int maxSessionsPerIp,
        int handshakesPerSecondPerIp,
        int handshakeBurstPerIp,
        int maxTcpConnections,
        int maxTcpConnectionsPerIp,
        Duration requestHeadTimeout,
        List<String> allowedHosts,
        boolean checkHost,
        int memoryShedPercent) {

    static AdmissionSettings parse(ConfigParser p, boolean localOnly, AllowedHosts hosts) {
        int maxSessions = p.intInRange("MAX_SESSIONS", 50_000, 0, 10_000_000);
        int perIp = p.intInRange("MAX_SESSIONS_PER_IP", 1000, 0, 10_000_000);
        int rate = p.intInRange("HANDSHAKE_RATE_PER_IP", 50, 0, 1_000_000);
        int burst = p.intInRange("HANDSHAKE_BURST_PER_IP", Math.max(1, rate * 4), 1, 10_000_000);
        int maxTcp = p.intInRange("MAX_TCP_CONNECTIONS", 60_000, 0, 10_000_000);
        int tcpPerIp = p.intInRange("MAX_TCP_CONNECTIONS_PER_IP", 2000, 0, 10_000_000);
        Duration head = p.millis("REQUEST_HEAD_TIMEOUT_MS", 10_000, 100);
        int shed = p.intInRange("MEMORY_SHED_PERCENT", 80, 0, 95);
        if (shed > 0 && shed < 10) throw new ConfigException("MEMORY_SHED_PERCENT", "must be 0 or between 10 and 95, got " + shed);
        return new AdmissionSettings(maxSessions, perIp, rate, burst, maxTcp, tcpPerIp, head, hosts.names(),
                localOnly || hosts.configured(), shed);
    }

    @Override
    public String toString() {
        return "maxSessions=" + maxSessions + " maxSessionsPerIp=" + maxSessionsPerIp + " handshakeRatePerIp="
                + handshakesPerSecondPerIp + "/s burst=" + handshakeBurstPerIp + " maxTcpConnections=" + maxTcpConnections
                + " maxTcpConnectionsPerIp=" + maxTcpConnectionsPerIp + " requestHeadTimeoutMs="
                + requestHeadTimeout.toMillis() + " hostCheck=" + (checkHost ? "loopback+" + allowedHosts : "off")
                + " memoryShedPercent=" + memoryShedPercent;
    }
}
