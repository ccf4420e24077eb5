package dev.switchboard.app;

import java.util.LinkedHashMap;
import java.util.Map;

/** The URLs a developer opens after start-up, named by what they are; logged once at start. */
final class StartupUrls {

    private StartupUrls() {
    }

    /** dashboard, socketio, health, emit, in that order; a wildcard bind is shown as localhost. */
    static Map<String, String> of(String host, int wsPort, String apiHost, int apiPort, String socketIoPath) {
        String publicBase = "http://" + displayHost(host) + ":" + wsPort;
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("dashboard", publicBase + "/ui/");
        urls.put("socketio", publicBase + socketIoPath + "/");
        urls.put("health", publicBase + "/health");
        urls.put("emit", "http://" + displayHost(apiHost) + ":" + apiPort + "/emit");
        return urls;
    }

    static String displayHost(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
