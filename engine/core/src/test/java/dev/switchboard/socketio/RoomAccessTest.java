package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The one rule for rooms a client asks to be in, and its pattern matching. */
class RoomAccessTest {
    private static final Set<String> NONE = Set.of();

    private static String refusal(RoomAccess rule, String namespace, String room, Set<String> own, List<String> claim) {
        return rule.refusal(namespace, room, own, claim == null ? null : RoomAccess.parsePatterns(claim),
                r -> r.equals("SOCKETIDxxxxxxxxxxxxx"));
    }

    @Test
    void serverAssignedRoomsAreNeverJoinableButOwnRoomsAre() {
        RoomAccess any = RoomAccess.anyRoom();
        for (String room : List.of("user:bob", "agent:7", "session:s-1", "SOCKETIDxxxxxxxxxxxxx")) {
            assertThat(refusal(any, "/mcp", room, NONE, null)).as(room).contains("assigned by the server");
            assertThat(refusal(any, "/mcp", room, NONE, List.of("*"))).as(room + " even when a claim allows *")
                    .contains("assigned by the server");
        }
        assertThat(refusal(any, "/mcp", "user:alice", Set.of("user:alice"), null)).isNull();
        assertThat(refusal(any, "/mcp", "thread-42", NONE, null)).isNull();
        assertThat(refusal(any, "/mcp", "users:bob", NONE, null)).as("only the exact prefixes").isNull();
    }

    @Test
    void operatorPatternsAndTheTokensClaimBothApply() {
        RoomAccess rule = new RoomAccess(RoomAccess.parsePatterns(List.of("project:*@/mcp", "svc-*@/services|/deployments")));
        assertThat(refusal(rule, "/mcp", "project:a", NONE, null)).isNull();
        assertThat(refusal(rule, "/mcp", "thread-1", NONE, null)).contains("not allowed on this server");
        assertThat(refusal(rule, "/services", "project:a", NONE, null)).as("other namespace").isNotNull();
        assertThat(refusal(rule, "/deployments", "svc-api", NONE, null)).isNull();
        assertThat(refusal(rule, "/mcp", "project:a", NONE, List.of("project:a*"))).isNull();
        assertThat(refusal(rule, "/mcp", "project:b", NONE, List.of("project:a*"))).contains("not allowed by your token");
        assertThat(refusal(rule, "/mcp", "project:b", NONE, List.of())).as("an empty claim allows nothing").isNotNull();
    }

    @Test
    void globsMatchWithStarsOnly() {
        assertThat(RoomPattern.globMatches("*", "")).isTrue();
        assertThat(RoomPattern.globMatches("a*", "a")).isTrue();
        assertThat(RoomPattern.globMatches("a*b", "ab")).isTrue();
        assertThat(RoomPattern.globMatches("a*b", "aXb")).isTrue();
        assertThat(RoomPattern.globMatches("a*b", "aXbc")).isFalse();
        assertThat(RoomPattern.globMatches("a*b*c", "abbbc")).isTrue();
        assertThat(RoomPattern.globMatches("a*bc*bc", "abcbc")).isTrue();
        assertThat(RoomPattern.globMatches("ab*ba", "aba")).as("prefix and suffix may not overlap").isFalse();
        assertThat(RoomPattern.globMatches("project:*:logs", "project:x:y:logs")).isTrue();
        assertThat(RoomPattern.globMatches("a.b", "aXb")).as("no regex").isFalse();
        assertThat(RoomPattern.globMatches("[a]", "[a]")).isTrue();
    }

    @Test
    void adversarialPatternsMatchQuickly() {
        String glob = "*a".repeat(120) + "b";      // a backtracking matcher would explode on this
        String room = "a".repeat(256);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(RoomPattern.globMatches(glob, room)).isFalse();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms for 1000 matches").isLessThan(2000);
    }

    @Test
    void badPatternsAreRefusedWithTheEntry() {
        assertThatThrownBy(() -> RoomAccess.parsePatterns(List.of("ok", "x@/"))).hasMessageContaining("'x@/'");
        assertThatThrownBy(() -> RoomAccess.parsePatterns(List.of(""))).hasMessageContaining("1 to 256");
        assertThat(RoomPattern.parse("a@b@/mcp").glob()).isEqualTo("a@b");
        assertThat(RoomPattern.parse("a@b").namespaces()).isEmpty();
    }
}
