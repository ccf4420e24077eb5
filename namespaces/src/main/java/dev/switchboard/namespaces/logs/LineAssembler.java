package dev.switchboard.namespaces.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Rejoins a byte stream into lines: a line split across several chunks (Docker frames, file reads) is emitted
 * once, on its {@code \n}. A trailing {@code \r} is dropped. Lines longer than {@code maxLineBytes} are cut there
 * and end with {@link #TRUNCATED_MARKER}; the rest of such a line is skipped up to its {@code \n}.
 * Not thread-safe: one assembler per stream.
 */
public final class LineAssembler {
    public static final String TRUNCATED_MARKER = " …[truncated]";

    private final int maxLineBytes;
    private final Consumer<String> sink;
    private byte[] current = new byte[256];
    private int size;
    private boolean overflowed;

    public LineAssembler(int maxLineBytes, Consumer<String> sink) {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    public void accept(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                if (size == 0 && !overflowed) {
                    emit(bytes, start, i - start, false); // whole line in this chunk: no copy into the buffer
                } else {
                    append(bytes, start, i - start);
                    emit(current, 0, size, overflowed);
                    size = 0;
                    overflowed = false;
                }
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    /** Whether a partial line is waiting for its end. */
    public boolean midLine() {
        return size > 0 || overflowed;
    }

    /** Emits a partial last line (end of the stream). */
    public void finish() {
        if (midLine()) {
            emit(current, 0, size, overflowed);
            size = 0;
            overflowed = false;
        }
    }

    private void append(byte[] bytes, int start, int length) {
        if (length <= 0 || overflowed) {
            return;
        }
        int take = Math.min(length, maxLineBytes - size);
        if (size + take > current.length) {
            current = Arrays.copyOf(current, Math.min(maxLineBytes, Math.max(size + take, current.length * 2)));
        }
        System.arraycopy(bytes, start, current, size, take);
        size += take;
        if (take < length) {
            overflowed = true;
        }
    }

    private void emit(byte[] bytes, int start, int length, boolean truncated) {
        if (length > maxLineBytes) {
            length = maxLineBytes;
            truncated = true;
        }
        if (!truncated && length > 0 && bytes[start + length - 1] == '\r') {
            length--;
        }
        String line = new String(bytes, start, length, StandardCharsets.UTF_8);
        sink.accept(truncated ? line + TRUNCATED_MARKER : line);
    }
}
