package dev.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelCatalogTest {

    @Test
    void defaultsMapChannelsToMcpRooms() {
        ChannelCatalog catalog = ChannelCatalog.defaults();
        ResolvedChannel agent = catalog.resolve("agents/a-1");
        assertThat(agent.namespace()).isEqualTo("/mcp");
        assertThat(agent.room()).isEqualTo("agent:a-1");
        assertThat(agent.variables()).isEqualTo(Map.of("agent_id", "a-1"));
        assertThat(agent.rule().subscribe()).isEqualTo(ChannelAccess.OWNER);
        assertThat(catalog.resolve("sessions/s:9").room()).isEqualTo("session:s:9");
        assertThat(catalog.resolve("topics/t").room()).isEqualTo("topic:t");
        assertThat(catalog.resolve("global").room()).isEqualTo("global");
        assertThat(catalog.resolve("metrics").local()).isTrue();
    }

    @Test
    void namesOutsideThePatternsDoNotResolve() {
        ChannelCatalog catalog = ChannelCatalog.defaults();
        assertThat(catalog.resolve("agents")).isNull();
        assertThat(catalog.resolve("agents/")).isNull();
        assertThat(catalog.resolve("agents/a/b")).isNull();
        assertThat(catalog.resolve("agents/a b")).isNull();
        assertThat(catalog.resolve("agents/" + "x".repeat(129))).isNull();
        assertThat(catalog.resolve("")).isNull();
        assertThat(catalog.resolve(null)).isNull();
    }

    @Test
    void customSpecRoomsMayContainColons() {
        ChannelCatalog catalog = ChannelCatalog.parse("threads/{threadId}=/mcp:thread:{threadId}:x:owner:auth; feed=local::public:none");
        assertThat(catalog.resolve("threads/t1").room()).isEqualTo("thread:t1:x");
        assertThat(catalog.resolve("threads/t1").rule().publish()).isEqualTo(ChannelAccess.AUTH);
        assertThat(catalog.resolve("feed").local()).isTrue();
        assertThat(ChannelCatalog.parse(catalog.toString()).rules()).hasSize(2);
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertThatThrownBy(() -> ChannelCatalog.parse("global")).hasMessageContaining("pattern=namespace:room:subscribe:publish");
        assertThatThrownBy(() -> ChannelCatalog.parse("global=/mcp:g:public")).hasMessageContaining("'global=/mcp:g:public'");
        assertThatThrownBy(() -> ChannelCatalog.parse("global=mcp:g:public:none")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> ChannelCatalog.parse("global=/mcp:g:everyone:none")).hasMessageContaining("public|auth|owner|none");
        assertThatThrownBy(() -> ChannelCatalog.parse("a/{id}=/mcp:r:{other}:public:none")).hasMessageContaining("does not define");
        assertThatThrownBy(() -> ChannelCatalog.parse("a b=/mcp:r:public:none")).hasMessageContaining("bad segment");
        assertThatThrownBy(() -> ChannelCatalog.parse("x=/mcp::public:none")).hasMessageContaining("room is empty");
        assertThatThrownBy(() -> ChannelCatalog.parse(" ; ")).hasMessageContaining("no channel configured");
    }

    @Test
    void utf8SizeCheckCountsMultiByteCharacters() {
        assertThat(PlainClient.exceeds("a".repeat(100), 100)).isFalse();
        assertThat(PlainClient.exceeds("a".repeat(101), 100)).isTrue();
        assertThat(PlainClient.exceeds("é".repeat(50), 100)).isFalse();
        assertThat(PlainClient.exceeds("é".repeat(51), 100)).isTrue();
        assertThat(PlainClient.exceeds("😀".repeat(25), 100)).isFalse();
        assertThat(PlainClient.exceeds("😀".repeat(26), 100)).isTrue();
    }
}
