package dev.switchboard.namespaces.deployments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What /deployments tells about a PM2 process. Built field by field from {@code getMonitorData}: nothing of
 * {@code pm2_env} (which holds every environment variable of the app) is forwarded except status, restart
 * count and start time; the log paths stay server-side.
 */
record Pm2Process(String name, int id, String status, long restarts, long startedAt, double cpu, long memory,
                  Long pid, String outLog, String errLog) {

    static List<Pm2Process> fromMonitorData(JsonNode replyArgs) {
        JsonNode list = replyArgs.path(0);
        List<Pm2Process> out = new ArrayList<>(list.size());
        for (JsonNode p : list) {
            JsonNode env = p.path("pm2_env");
            JsonNode monit = p.path("monit");
            out.add(new Pm2Process(
                    p.path("name").asText(env.path("name").asText()),
                    p.path("pm_id").asInt(env.path("pm_id").asInt(-1)),
                    env.path("status").asText("unknown"),
                    env.path("restart_time").asLong(0),
                    env.path("pm_uptime").asLong(0),
                    monit.path("cpu").asDouble(0),
                    monit.path("memory").asLong(0),
                    p.path("pid").isNumber() && p.path("pid").asLong() > 0 ? p.path("pid").asLong() : null,
                    env.path("pm_out_log_path").isTextual() ? env.path("pm_out_log_path").asText() : null,
                    env.path("pm_err_log_path").isTextual() ? env.path("pm_err_log_path").asText() : null));
        }
        return out;
    }

    boolean online() {
        return "online".equals(status);
    }

    /** The client-facing view: {@code {name, id, status, restarts, uptime, cpu, memory, pid}}. */
    Map<String, Object> view(long nowMillis) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("id", id);
        view.put("status", status);
        view.put("restarts", restarts);
        view.put("uptime", online() && startedAt > 0 ? Math.max(0, nowMillis - startedAt) : 0);
        view.put("cpu", cpu);
        view.put("memory", memory);
        view.put("pid", pid);
        return view;
    }
}
