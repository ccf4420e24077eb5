package dev.switchboard.admin;

import dev.switchboard.engineio.ProxyTrust;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Options of the Admin UI namespace. Authentication must be chosen explicitly (as in Node's
 * {@code instrument()}): {@link Builder#noAuth()} or {@link Builder#basicAuth(String, String)} with a bcrypt hash.
 */
public record AdminUiOptions(String namespace, String username, String passwordHash, boolean readonly,
                             String serverId, Duration statsInterval, String uiPath, ProxyTrust trustProxy,
                             Duration loginBackoff, Duration loginBackoffMax, int maxConcurrentLoginChecks) {

    private static final Pattern BCRYPT = Pattern.compile("^\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}$");

    public static Builder builder() {
        return new Builder();
    }

    boolean authRequired() {
        return username != null;
    }

    public static final class Builder {
        private String namespace = "/admin";
        private Boolean auth;
        private String username;
        private String passwordHash;
        private boolean readonly;
        private String serverId;
        private Duration statsInterval = Duration.ofSeconds(2);
        private String uiPath = "/admin-ui/";
        private ProxyTrust trustProxy = ProxyTrust.NONE;
        private Duration loginBackoff = Duration.ofSeconds(1);
        private Duration loginBackoffMax = Duration.ofSeconds(60);
        private int maxConcurrentLoginChecks = 2;

        private Builder() {
        }

        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** Anyone reaching the port may administer the server: only behind another gate. */
        public Builder noAuth() {
            this.auth = false;
            this.username = null;
            this.passwordHash = null;
            return this;
        }

        /** The UI's login form: {@code username} and a password checked against this bcrypt hash ($2a/$2b/$2y). */
        public Builder basicAuth(String username, String bcryptHash) {
            if (username == null || username.isEmpty()) {
                throw new IllegalArgumentException("username must not be empty");
            }
            if (bcryptHash == null || !BCRYPT.matcher(bcryptHash).matches()) {
                throw new IllegalArgumentException("the password must be a valid bcrypt hash");
            }
            this.auth = true;
            this.username = username;
            this.passwordHash = bcryptHash.startsWith("$2b$") || bcryptHash.startsWith("$2y$")
                    ? "$2a$" + bcryptHash.substring(4) : bcryptHash; // same algorithm; jBCrypt reads $2a$
            return this;
        }

        /** Only observe: no emit, join, leave or disconnect commands. */
        public Builder readonly(boolean readonly) {
            this.readonly = readonly;
            return this;
        }

        /** Shown in the UI's server list (default: the host name). */
        public Builder serverId(String serverId) {
            this.serverId = serverId;
            return this;
        }

        public Builder statsInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("statsInterval must be positive");
            }
            this.statsInterval = interval;
            return this;
        }

        /** Where the UI's files are served on the public port (default "/admin-ui/"); null: not served. */
        public Builder uiPath(String uiPath) {
            if (uiPath != null && (!uiPath.startsWith("/") || !uiPath.endsWith("/"))) {
                throw new IllegalArgumentException("uiPath must start and end with '/'");
            }
            this.uiPath = uiPath;
            return this;
        }

        /** The peers whose X-Forwarded-For gives the client address for login backoff (TRUST_PROXY, TRUSTED_PROXIES). */
        public Builder trustProxy(ProxyTrust trustProxy) {
            this.trustProxy = trustProxy;
            return this;
        }

        /**
         * Login throttling: after a failed login an address waits {@code backoff}, doubled with each further
         * failure up to {@code backoffMax}, before its next password check; at most {@code maxConcurrentChecks}
         * bcrypt checks run at once (default 1 s, 60 s, 2).
         */
        public Builder loginThrottle(Duration backoff, Duration backoffMax, int maxConcurrentChecks) {
            if (backoff == null || backoff.isNegative() || backoffMax == null || backoffMax.compareTo(backoff) < 0
                    || maxConcurrentChecks < 1) {
                throw new IllegalArgumentException("login throttle needs 0 <= backoff <= backoffMax and at least one check");
            }
            this.loginBackoff = backoff;
            this.loginBackoffMax = backoffMax;
            this.maxConcurrentLoginChecks = maxConcurrentChecks;
            return this;
        }

        public AdminUiOptions build() {
            if (auth == null) {
                throw new IllegalStateException("choose the Admin UI authentication: noAuth() or basicAuth(user, bcryptHash)");
            }
            return new AdminUiOptions(namespace, username, passwordHash, readonly, serverId, statsInterval, uiPath,
                    trustProxy, loginBackoff, loginBackoffMax, maxConcurrentLoginChecks);
        }
    }
}
