package dev.switchboard.channels.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgBridgeRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesRoutesWithColonsInTheRoom() {
        List<PgBridgeRoute> routes = PgBridgeRoute.parse("jobs:/mcp:agent:{agent_id}:job, alerts:/system:global:alert");
        assertThat(routes).containsExactly(new PgBridgeRoute("jobs", "/mcp", "agent:{agent_id}", "job"),
                new PgBridgeRoute("alerts", "/system", "global", "alert"));
    }

    @Test
    void badRoutesSayWhatIsWrong() {
        assertThatThrownBy(() -> PgBridgeRoute.parse("jobs:/mcp:job")).hasMessageContaining("pgchannel:namespace:room:event");
        assertThatThrownBy(() -> PgBridgeRoute.parse("bad-name:/mcp:r:e")).hasMessageContaining("identifier");
        assertThatThrownBy(() -> PgBridgeRoute.parse("jobs:mcp:r:e")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> PgBridgeRoute.parse("jobs:/mcp:r:")).hasMessageContaining("event is empty");
        assertThatThrownBy(() -> PgBridgeRoute.parse(",")).hasMessageContaining("no bridge entry");
    }

    @Test
    void roomFieldsComeFromThePayload() throws Exception {
        assertThat(PgBridge.room("agent:{agent_id}", JSON.readTree("{\"agent_id\":\"7\"}"))).isEqualTo("agent:7");
        assertThat(PgBridge.room("agent:{agent_id}", JSON.readTree("{\"agent_id\":7}"))).isEqualTo("agent:7");
        assertThat(PgBridge.room("agent:{agent_id}", JSON.readTree("{\"other\":7}"))).isNull();
        assertThat(PgBridge.room("agent:{agent_id}", JSON.readTree("{\"agent_id\":{}}"))).isNull();
        assertThat(PgBridge.room("agent:{agent_id}", JSON.readTree("\"text\""))).isNull();
        assertThat(PgBridge.room("global", null)).isEqualTo("global");
    }

    @Test
    void urlsKeepCredentialsOutOfLogs() {
        PgUrl libpq = PgUrl.parse("postgresql://app:s%40cret@db.local:5433/events?sslmode=disable");
        assertThat(libpq.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/events?sslmode=disable");
        assertThat(libpq.credentials().getProperty("user")).isEqualTo("app");
        assertThat(libpq.credentials().getProperty("password")).isEqualTo("s@cret");
        assertThat(libpq.redacted()).isEqualTo("postgresql://db.local:5433/events");
        PgUrl jdbc = PgUrl.parse("jdbc:postgresql://127.0.0.1/x?user=u&password=p");
        assertThat(jdbc.redacted()).isEqualTo("jdbc:postgresql://127.0.0.1/x");
        assertThatThrownBy(() -> PgUrl.parse("mysql://x")).hasMessageContaining("must start with");
        assertThatThrownBy(() -> PgUrl.parse(" ")).hasMessageContaining("empty");
    }
}
