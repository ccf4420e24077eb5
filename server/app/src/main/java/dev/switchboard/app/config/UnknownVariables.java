package dev.switchboard.app.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names set for us that we do not read, each with the nearest known name: a misspelt variable ({@code CORS_ORIGIN})
 * would otherwise be ignored in silence. Every key of the properties file is ours; an environment variable is
 * taken for ours when it carries one of our prefixes or is a small edit away from a known name.
 */
public final class UnknownVariables {
    /**
     * Prefixes only this server uses. Not PM2_ or DOCKER_: PM2 and the docker CLI set their own (PM2_USAGE,
     * DOCKER_BUILDKIT, ...); nor LOG_ or PUBLIC_, common in other apps' environments (LOG_DIR, PUBLIC_URL). A
     * misspelt PM2_HOME or LOG_LEVEL is still caught by its edit distance.
     */
    static final List<String> PREFIXES = List.of("SWITCHBOARD_", "WS_", "API_", "REDIS_", "JWT_", "ADMIN_UI", "MCP_",
            "FILES_", "LOGS_", "PG_", "SYSTEM_", "RECOVERY_", "RATE_LIMIT_", "MAX_", "HANDSHAKE_", "CORS_", "AUTH_",
            "EMIT_", "SOCKETIO_", "PING_", "SHUTDOWN_", "DEPLOYMENT_");

    /** One unknown name. */
    public record Unknown(String name, String nearest, String source) {
    }

    private UnknownVariables() {
    }

    /** The unknown names of this source, environment first, each once, sorted within its source. */
    public static List<Unknown> in(ConfigSource source) {
        return find(source.environmentNames(), source.fileNames(), ConfigVariables.names());
    }

    static List<Unknown> find(Collection<String> environment, Collection<String> file, List<String> known) {
        Set<String> knownSet = Set.copyOf(known);
        List<Unknown> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(environment)) {
            if (!knownSet.contains(name) && !ConfigVariables.FOREIGN.contains(name)) {
                String nearest = nearest(name, known);
                if (hasOurPrefix(name) || distance(name, nearest) <= closeEnough(nearest)) {
                    unknown.add(new Unknown(name, nearest, "environment"));
                }
            }
        }
        for (String name : new TreeSet<>(file)) {
            if (!knownSet.contains(name)) {
                unknown.add(new Unknown(name, nearest(name, known), "file"));
            }
        }
        return unknown;
    }

    private static boolean hasOurPrefix(String name) {
        return PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** Short names are one edit apart at most (HOME is not HOST), longer ones two. */
    private static int closeEnough(String known) {
        return known.length() <= 5 ? 1 : 2;
    }

    static String nearest(String name, List<String> known) {
        String best = known.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Edits (insert, delete, substitute, swap two neighbours) from a to b, ignoring case. */
    static int distance(String a, String b) {
        a = a.toUpperCase(Locale.ROOT);
        b = b.toUpperCase(Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
