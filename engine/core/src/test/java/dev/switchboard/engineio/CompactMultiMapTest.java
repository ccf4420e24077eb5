package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The handshake's headers and query, kept in two arrays: same answers as the map of lists they replace. */
class CompactMultiMapTest {

    @Test
    void keepsEveryValueOfARepeatedNameInOrder() {
        CompactMultiMap map = new CompactMultiMap.Builder()
                .add("host", "example.com")
                .add("cookie", "a=1")
                .add("cookie", "b=2")
                .build();
        assertThat(map.first("host")).isEqualTo("example.com");
        assertThat(map.first("cookie")).isEqualTo("a=1");
        assertThat(map.get("cookie")).containsExactly("a=1", "b=2");
        assertThat(map.get("host")).containsExactly("example.com");
        assertThat(map.first("missing")).isNull();
        assertThat(map.get("missing")).isNull();
        assertThat(map).hasSize(2).containsOnlyKeys("host", "cookie");
        assertThat(Map.copyOf(map)).isEqualTo(Map.of("host", List.of("example.com"), "cookie", List.of("a=1", "b=2")));
    }

    @Test
    void emptyBuilderGivesTheEmptyMap() {
        assertThat(new CompactMultiMap.Builder().build()).isEmpty();
    }

    @Test
    void engineRequestReadsThroughIt() {
        CompactMultiMap headers = new CompactMultiMap.Builder().add("origin", "http://localhost:3000").build();
        CompactMultiMap query = new CompactMultiMap.Builder().add("EIO", "4").add("transport", "websocket").build();
        EngineRequest request = new EngineRequest("/socket.io/?EIO=4", query, headers, null, false, 0);
        assertThat(request.header("origin")).isEqualTo("http://localhost:3000");
        assertThat(request.queryParam("EIO")).isEqualTo("4");
        assertThat(request.queryParam("sid")).isNull();
    }

    @Test
    void equalStringsFromSeparateHandshakesShareOneCopy() {
        String first = new String("Mozilla/5.0 (X11; Linux x86_64)");
        String second = new String("Mozilla/5.0 (X11; Linux x86_64)");
        assertThat(second).isNotSameAs(first);
        String kept = StringDedup.of(first);
        assertThat(StringDedup.of(second)).isSameAs(kept);
        assertThat(StringDedup.of(null)).isNull();
        String huge = "x".repeat(10_000);
        assertThat(StringDedup.of(huge)).isSameAs(huge); // long values are kept as they are
    }
}
