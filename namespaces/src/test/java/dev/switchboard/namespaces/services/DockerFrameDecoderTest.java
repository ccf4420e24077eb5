package dev.switchboard.namespaces.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

class DockerFrameDecoderTest {
    private static final String TS1 = "2026-11-21T23:00:00.000000001Z";
    private static final String TS2 = "2026-11-21T23:00:00.000000002Z";
    private final List<String> out = new ArrayList<>();
    private final DockerFrameDecoder decoder = new DockerFrameDecoder(16 * 1024,
            (stream, ts, text) -> out.add(stream + "|" + ts + "|" + text));

    private static Frame frame(StreamType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsTimestampAndSeparatesStreams() {
        decoder.accept(frame(StreamType.STDOUT, TS1 + " out line\n"));
        decoder.accept(frame(StreamType.STDERR, TS2 + " err line\n"));
        assertThat(out).containsExactly("stdout|" + TS1 + "|out line", "stderr|" + TS2 + "|err line");
    }

    @Test
    void rejoinsALineDockerSplitIntoPartialMessagesEachWithItsOwnTimestamp() {
        decoder.accept(frame(StreamType.STDOUT, TS1 + " first half "));
        decoder.accept(frame(StreamType.STDERR, TS1 + " interleaved\n"));
        decoder.accept(frame(StreamType.STDOUT, TS2 + " second half\n"));
        assertThat(out).containsExactly("stderr|" + TS1 + "|interleaved", "stdout|" + TS1 + "|first half second half");
    }

    @Test
    void lineWithoutTimestampKeepsItsText() {
        decoder.accept(frame(StreamType.RAW, "no timestamp here\n"));
        assertThat(out).containsExactly("stdout|null|no timestamp here");
    }
}
