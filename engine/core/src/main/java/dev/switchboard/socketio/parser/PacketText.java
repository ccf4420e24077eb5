package dev.switchboard.socketio.parser;

import java.io.Writer;

/**
 * An unsynchronized Writer collecting the text of one packet. Jackson's generator hands over its buffer once for
 * any packet that fits it: that write becomes the String directly, with no StringBuilder growing and copying
 * (a broadcast encodes on the emitting thread, so each copy is garbage on every emit). Longer texts, written in
 * several parts, are joined in a StringBuilder.
 */
final class PacketText extends Writer {
    private String single; // the text while it came in one write
    private StringBuilder parts; // once a second write came

    @Override
    public void write(char[] cbuf, int off, int len) {
        if (len == 0) {
            return;
        }
        if (single == null && parts == null) {
            single = new String(cbuf, off, len);
        } else {
            parts().append(cbuf, off, len);
        }
    }

    @Override
    public void write(int c) {
        parts().append((char) c);
    }

    @Override
    public void write(String str, int off, int len) {
        parts().append(str, off, off + len);
    }

    private StringBuilder parts() {
        if (parts == null) {
            parts = new StringBuilder(single == null ? 64 : single.length() * 2);
            if (single != null) {
                parts.append(single);
                single = null;
            }
        }
        return parts;
    }

    /** The text written so far. */
    String text() {
        return parts != null ? parts.toString() : single != null ? single : "";
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
