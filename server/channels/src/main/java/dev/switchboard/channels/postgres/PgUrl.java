package dev.switchboard.channels.postgres;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PG_URL: {@code jdbc:postgresql://host:port/db?user=..&password=..} or the libpq form
 * {@code postgresql://user:password@host:port/db}. {@link #redacted()} is what may be logged.
 */
record PgUrl(String jdbcUrl, Properties credentials, String redacted) {

    static PgUrl parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("PG_URL is empty");
        String u = url.trim();
        Properties props = new Properties();
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            URI uri = URI.create(u);
            if (uri.getHost() == null) throw new IllegalArgumentException("PG_URL has no host");
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                if (colon >= 0) props.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
            String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new PgUrl("jdbc:postgresql://" + hostPort + path + query, props, "postgresql://" + hostPort + path);
        }
        if (!u.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("PG_URL must start with jdbc:postgresql://, postgresql:// or postgres://");
        }
        int q = u.indexOf('?');
        return new PgUrl(u, props, q < 0 ? u : u.substring(0, q));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
