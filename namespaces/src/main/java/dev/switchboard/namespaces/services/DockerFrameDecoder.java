package dev.switchboard.namespaces.services;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.switchboard.namespaces.logs.LineAssembler;
import dev.switchboard.namespaces.logs.LogLine;

/**
 * Turns Docker log frames (requested with timestamps) into {@link LogLine}s. Each stream has its own
 * {@link LineAssembler}, so a line split over several frames is rejoined. Docker prefixes every log message with
 * {@code <RFC3339Nano> } — also each part of a line it split (lines over 16 KiB) — so a prefix at the start of a
 * frame that continues a line is dropped. Not thread-safe: one decoder per follow.
 */
final class DockerFrameDecoder {
    interface LineHandler {
        void line(String stream, String timestamp, String text);
    }

    private static final int PREFIX_ROOM = 40;

    private final LineAssembler stdout;
    private final LineAssembler stderr;

    private final int maxLineBytes;

    DockerFrameDecoder(int maxLineBytes, LineHandler handler) {
        this.maxLineBytes = maxLineBytes;
        // room for the timestamp prefix; the cap itself is applied to the text in split()
        this.stdout = new LineAssembler(maxLineBytes + PREFIX_ROOM, raw -> split(LogLine.STDOUT, raw, handler));
        this.stderr = new LineAssembler(maxLineBytes + PREFIX_ROOM, raw -> split(LogLine.STDERR, raw, handler));
    }

    void accept(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload == null || payload.length == 0) {
            return;
        }
        LineAssembler assembler = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
        int offset = assembler.midLine() ? timestampPrefixLength(payload) : 0;
        assembler.accept(payload, offset, payload.length - offset);
    }

    /** Emits partial last lines (the container has exited). */
    void finish() {
        stdout.finish();
        stderr.finish();
    }

    private void split(String stream, String raw, LineHandler handler) {
        int space = raw.indexOf(' ');
        if (space > 0 && space <= PREFIX_ROOM && looksLikeTimestamp(raw, space)) {
            handler.line(stream, raw.substring(0, space), cap(raw.substring(space + 1)));
        } else {
            handler.line(stream, null, cap(raw));
        }
    }

    private String cap(String text) {
        boolean truncated = text.endsWith(LineAssembler.TRUNCATED_MARKER);
        String body = truncated ? text.substring(0, text.length() - LineAssembler.TRUNCATED_MARKER.length()) : text;
        if (body.length() > maxLineBytes) {
            return body.substring(0, maxLineBytes) + LineAssembler.TRUNCATED_MARKER;
        }
        return text;
    }

    private static boolean looksLikeTimestamp(String raw, int space) {
        return space > 20 && raw.charAt(4) == '-' && raw.charAt(10) == 'T' && raw.charAt(space - 1) == 'Z';
    }

    private static int timestampPrefixLength(byte[] payload) {
        int limit = Math.min(payload.length, 41);
        for (int i = 20; i < limit; i++) {
            if (payload[i] == ' ') {
                return payload[4] == '-' && payload[10] == 'T' && payload[i - 1] == 'Z' ? i + 1 : 0;
            }
        }
        return 0;
    }
}
