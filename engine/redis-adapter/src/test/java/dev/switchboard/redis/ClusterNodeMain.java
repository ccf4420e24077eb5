package dev.switchboard.redis;

import java.io.IOException;
import java.time.Duration;

/**
 * A Switchboard node in a JVM of its own, so a test can kill it (SIGKILL) without any cleanup running.
 * Args: redisUrl prefix heartbeatMs. Prints {"port":N,"node":"uid"} once it is connected; exits cleanly
 * when stdin closes.
 */
public final class ClusterNodeMain {
    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        RedisSettings settings = RedisSettings.defaults().withUrl(args[0]).withPrefix(args[1])
                .withHeartbeatInterval(Duration.ofMillis(Long.parseLong(args[2])));
        try (ClusterNode node = new ClusterNode(settings, "/mcp").awaitHealthy(Duration.ofSeconds(10))) {
            System.out.println("{\"port\":" + node.io.port() + ",\"node\":\"" + node.cluster.nodeId() + "\"}");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until stdin closes (or the process is killed)
            }
        }
    }
}
