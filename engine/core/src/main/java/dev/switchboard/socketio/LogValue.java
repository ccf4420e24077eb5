package dev.switchboard.socketio;

/** A client-chosen text (a namespace name) made fit for a log line: short, and on one line. */
final class LogValue {
    static final int MAX_CHARS = 64;

    private LogValue() {
    }

    /** At most {@link #MAX_CHARS} characters, control characters as '?', the full length said when cut. */
    static String shorten(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 16);
        for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_CHARS) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
