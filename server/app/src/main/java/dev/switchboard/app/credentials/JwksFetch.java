package dev.switchboard.app.credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One GET of a JWKS URL, bounded as a whole: {@code perStep} to connect and for each read, {@code deadline} for
 * everything (a response trickled a byte at a time never waits long in any single read), at most {@code maxBytes}.
 * A redirect is followed (at most {@link #MAX_REDIRECTS}) only to https or to the configured URL's own host: the
 * keys must not travel in clear text to a host JWT_JWKS_URL was never allowed to name.
 */
final class JwksFetch {
    static final int MAX_REDIRECTS = 3;

    private final URL url;
    private final Duration perStep;
    private final Duration deadline;
    private final int maxBytes;

    JwksFetch(URL url, Duration perStep, Duration deadline, int maxBytes) {
        this.url = url;
        this.perStep = perStep;
        this.deadline = deadline;
        this.maxBytes = maxBytes;
    }

    /** The response body; IOException when it cannot be had within the bounds. */
    String get() throws IOException {
        long until = System.nanoTime() + deadline.toNanos();
        URL current = url;
        for (int hop = 0; ; hop++) {
            HttpURLConnection connection = (HttpURLConnection) current.openConnection();
            try {
                connection.setInstanceFollowRedirects(false);
                connection.setConnectTimeout(stepMillis(until));
                connection.setReadTimeout(stepMillis(until));
                connection.setRequestProperty("Accept", "application/json");
                int status = connection.getResponseCode();
                if (status >= 300 && status < 400 && connection.getHeaderField("Location") != null) {
                    if (hop == MAX_REDIRECTS) {
                        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
                    }
                    current = redirectTarget(current, connection.getHeaderField("Location"));
                    continue;
                }
                if (status < 200 || status > 299) {
                    throw new IOException("HTTP " + status);
                }
                try (InputStream in = connection.getInputStream()) {
                    return read(in, until);
                }
            } finally {
                connection.disconnect();
            }
        }
    }

    private URL redirectTarget(URL from, String location) throws IOException {
        URL target;
        try {
            target = from.toURI().resolve(new URI(location)).toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IOException("redirect to a bad location");
        }
        String scheme = target.getProtocol().toLowerCase(Locale.ROOT);
        boolean sameHostInClear = scheme.equals("http") && url.getProtocol().equalsIgnoreCase("http")
                && target.getHost().equalsIgnoreCase(url.getHost()); // JWT_JWKS_URL allows http only to loopback
        if (!(scheme.equals("https") || sameHostInClear)) {
            throw new IOException("redirect to " + target.getProtocol() + "://" + target.getHost()
                    + " refused (https, or http to the configured host only)");
        }
        return target;
    }

    private String read(InputStream in, long until) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (System.nanoTime() - until > 0) {
                throw pastDeadline();
            }
            if (body.size() + n > maxBytes) {
                throw new IOException("response larger than " + maxBytes + " bytes");
            }
            body.write(buffer, 0, n);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private int stepMillis(long until) throws IOException {
        long left = Duration.ofNanos(until - System.nanoTime()).toMillis();
        if (left <= 0) {
            throw pastDeadline();
        }
        return (int) Math.min(perStep.toMillis(), left);
    }

    private IOException pastDeadline() {
        return new IOException("response not complete within " + deadline.toMillis() + " ms");
    }
}
