package dev.switchboard.socketio.parser;

import java.io.Writer;

/** An unsynchronized Writer into a StringBuilder (java.io.StringWriter synchronizes on every write). */
final class StringBuilderWriter extends Writer {
    final StringBuilder sb;

    StringBuilderWriter(int capacity) {
        this.sb = new StringBuilder(capacity);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        sb.append(cbuf, off, len);
    }

    @Override
    public void write(int c) {
        sb.append((char) c);
    }

    @Override
    public void write(String str, int off, int len) {
        sb.append(str, off, off + len);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
