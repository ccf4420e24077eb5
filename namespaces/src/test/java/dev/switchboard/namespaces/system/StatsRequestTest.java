package dev.switchboard.namespaces.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.switchboard.namespaces.core.ProducerException;

class StatsRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SystemSettings SETTINGS = SystemSettings.defaults();

    private static StatsRequest parse(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return StatsRequest.parse(node, SETTINGS);
    }

    @Test
    void defaultsToAllMetricsAtTheDefaultInterval() throws Exception {
        assertThat(StatsRequest.parse(MissingNode.getInstance(), SETTINGS))
                .isEqualTo(new StatsRequest(2000, EnumSet.allOf(Metric.class)));
        assertThat(parse("{}")).isEqualTo(new StatsRequest(2000, EnumSet.allOf(Metric.class)));
        assertThat(parse("{\"interval\":500,\"metrics\":[\"cpu\",\"memory\",\"cpu\"]}"))
                .isEqualTo(new StatsRequest(500, EnumSet.of(Metric.CPU, Metric.MEMORY)));
        assertThat(parse("{\"interval\":1000.0}").interval()).isEqualTo(1000);
    }

    @Test
    void refusesEachKindOfBadArgument() {
        String[][] cases = {
            {"{\"interval\":499}", "between 500"},
            {"{\"interval\":0}", "between 500"},
            {"{\"interval\":-1000}", "between 500"},
            {"{\"interval\":3600001}", "between 500"},
            {"{\"interval\":\"fast\"}", "whole number"},
            {"{\"interval\":\"2000\"}", "whole number"},
            {"{\"interval\":1500.5}", "whole number"},
            {"{\"interval\":true}", "whole number"},
            {"{\"metrics\":[\"cpu\",\"gpu\"]}", "unknown metric \"gpu\""},
            {"{\"metrics\":[\"CPU\"]}", "unknown metric"},
            {"{\"metrics\":[1]}", "unknown metric"},
            {"{\"metrics\":\"cpu\"}", "non-empty array"},
            {"{\"metrics\":[]}", "non-empty array"},
            {"\"cpu\"", "expects an object"},
            {"[2000]", "expects an object"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0]), c[0])
                    .isInstanceOf(ProducerException.class)
                    .hasMessageContaining(c[1])
                    .extracting(e -> ((ProducerException) e).code()).isEqualTo("BAD_REQUEST");
        }
    }

    @Test
    void demandIsTheUnionPerInterval() {
        StatsDemand demand = new StatsDemand(2000, 500);
        demand.put(1000, "a", EnumSet.of(Metric.CPU));
        demand.put(1000, "b", EnumSet.of(Metric.MEMORY, Metric.PROCESSES));
        demand.put(2000, "a", EnumSet.of(Metric.LOAD));
        assertThat(demand.union(1000)).containsExactlyInAnyOrder(Metric.CPU, Metric.MEMORY, Metric.PROCESSES);
        assertThat(demand.intervalsOf("a")).containsExactlyInAnyOrder(1000L, 2000L);
        demand.remove(1000, "b");
        assertThat(demand.union(1000)).containsExactly(Metric.CPU);
        demand.remove(1000, "a");
        assertThat(demand.union(1000)).isEmpty();
        assertThat(demand.intervalsOf("a")).containsExactly(2000L);
    }
}
