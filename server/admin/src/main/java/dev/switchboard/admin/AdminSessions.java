package dev.switchboard.admin;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Session ids handed to logged-in UIs (so a reload needs no password), newest 10,000 kept. */
final class AdminSessions {
    private static final int MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Boolean> ids = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX;
        }
    };

    synchronized String create() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        ids.put(id, Boolean.TRUE);
        return id;
    }

    synchronized boolean exists(String id) {
        return id != null && ids.get(id) != null;
    }
}
