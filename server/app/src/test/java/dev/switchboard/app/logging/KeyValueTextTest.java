package dev.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KeyValueTextTest {

    @Test
    void readsPlainAndQuotedPairsInOrder() {
        assertThat(KeyValueText.parse("pg bridge listening url=postgres://h/db channels=[a] reconnects=0"))
                .containsExactly(Map.entry("url", "postgres://h/db"), Map.entry("channels", "[a]"),
                        Map.entry("reconnects", "0"));
        assertThat(KeyValueText.parse("reason=\"a b  c\" next=1 empty= last=\"\""))
                .containsExactly(Map.entry("reason", "a b  c"), Map.entry("next", "1"), Map.entry("empty", ""),
                        Map.entry("last", ""));
    }

    @Test
    void aKeyMustStartAWordAndAnUnclosedQuoteRunsToTheEnd() {
        assertThat(KeyValueText.parse("Config{host=x, a==b =c 1x=2 detail=\"open to end")).containsExactly(
                Map.entry("a", "=b"), Map.entry("detail", "open to end"));
    }

    @Test
    void aLineOfThousandsOfPairsGivesABoundedNumber() {
        String line = "k=v ".repeat(1).concat(String.join(" ", java.util.Collections.nCopies(5000, "x=1")));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            many.append("k").append(i).append("=v ");
        }
        assertThat(KeyValueText.parse(many.toString())).hasSize(KeyValueText.MAX_PAIRS);
        assertThat(KeyValueText.parse(line)).hasSize(2);
        assertThat(KeyValueText.parse(null)).isEmpty();
        assertThat(KeyValueText.parse("")).isEmpty();
    }
}
