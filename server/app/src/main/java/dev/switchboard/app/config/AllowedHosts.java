package dev.switchboard.app.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The public names the server answers in {@code Host} besides the loopback names (against DNS rebinding), read once
 * for the public port and the HTTP API: ALLOWED_HOSTS, VPS_IP, and the bind addresses HOST / API_HOST when they are
 * specific (not a wildcard, not loopback).
 *
 * @param names      lower-case names or IP literals, without port
 * @param configured whether ALLOWED_HOSTS was set (it turns the check on for an exposed public port too)
 */
public record AllowedHosts(List<String> names, boolean configured) {
    private static final String HOST_NAME = "[0-9A-Za-z.-]+|\\[?[0-9A-Fa-f:.]+]?";

    public AllowedHosts {
        names = List.copyOf(names);
    }

    static AllowedHosts parse(ConfigParser p, String host, String apiHost) {
        Set<String> names = new LinkedHashSet<>();
        List<String> configured = p.list("ALLOWED_HOSTS");
        if (configured != null) {
            for (String name : configured) {
                if (!name.matches(HOST_NAME)) {
                    throw new ConfigException("ALLOWED_HOSTS", "'" + name
                            + "' is not a host name or IP address (no scheme, no port)");
                }
                names.add(name);
            }
        }
        String vpsIp = p.optional("VPS_IP");
        if (vpsIp != null) {
            names.add(vpsIp);
        }
        for (String bind : List.of(host, apiHost)) {
            if (!isWildcard(bind) && !ConfigParser.isLoopback(bind)) {
                names.add(bind);
            }
        }
        return new AllowedHosts(List.copyOf(names), configured != null);
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.equals("0:0:0:0:0:0:0:0");
    }
}
