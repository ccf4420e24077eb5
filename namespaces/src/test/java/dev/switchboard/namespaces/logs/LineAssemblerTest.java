package dev.switchboard.namespaces.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler(64, lines::add);

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assembler.accept(bytes, 0, bytes.length);
    }

    @Test
    void rejoinsALineSplitAcrossChunks() {
        feed("hel");
        feed("lo wor");
        assertThat(lines).isEmpty();
        assertThat(assembler.midLine()).isTrue();
        feed("ld\nnext\n");
        assertThat(lines).containsExactly("hello world", "next");
        assertThat(assembler.midLine()).isFalse();
    }

    @Test
    void dropsCarriageReturnAndKeepsEmptyLines() {
        feed("a\r\n\nb\n");
        assertThat(lines).containsExactly("a", "", "b");
    }

    @Test
    void capsLongLinesWithAMarkerAndResumesAfterTheirEnd() {
        feed("x".repeat(50));
        feed("y".repeat(50) + "\nshort\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("x".repeat(50) + "y".repeat(14) + LineAssembler.TRUNCATED_MARKER);
        assertThat(lines.get(1)).isEqualTo("short");
    }

    @Test
    void finishEmitsAPartialLastLine() {
        feed("partial");
        assembler.finish();
        assertThat(lines).containsExactly("partial");
        assembler.finish();
        assertThat(lines).hasSize(1);
    }
}
