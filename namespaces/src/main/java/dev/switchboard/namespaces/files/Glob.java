package dev.switchboard.namespaces.files;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A glob in the JDK's syntax ({@code *}, {@code **}, {@code ?}, {@code [..]}, {@code {a,b}}, {@code \} escapes;
 * the same meaning as {@code FileSystems.getDefault().getPathMatcher("glob:...")} on Unix), matched in time linear
 * in the name: the glob is compiled to a small NFA and the name is run through it as a set of states, so no input
 * backtracks. A client-chosen glob runs on the watch thread every watcher shares; the JDK's matcher compiles to a
 * backtracking regex that a glob like {@code *?*?*?...} pins for hours.
 */
final class Glob {
    /** A glob longer than this is refused. */
    static final int MAX_LENGTH = 256;
    /** Wildcards ({@code * ** ? [..]}) plus group alternatives a glob may hold. */
    static final int MAX_WILDCARDS = 32;

    /** Thrown for a glob the JDK would refuse too, or one over the bounds. */
    static final class InvalidGlobException extends IllegalArgumentException {
        InvalidGlobException(String message) {
            super(message);
        }
    }

    private static final int CHAR = 0;
    private static final int ANY_IN_NAME = 1; // ? and the step of *
    private static final int ANY = 2;         // the step of **
    private static final int CLASS = 3;
    private static final int SPLIT = 4;
    private static final int JUMP = 5;
    private static final int MATCH = 6;

    private record Op(int kind, int codePoint, int next, int alt, CharClass charClass) {
    }

    /** A bracket expression: code points and ranges, maybe negated; never matches '/'. */
    private record CharClass(boolean negated, int[] from, int[] to) {
        boolean matches(int c) {
            if (c == '/') {
                return false;
            }
            boolean in = false;
            for (int i = 0; i < from.length && !in; i++) {
                in = c >= from[i] && c <= to[i];
            }
            return in != negated;
        }
    }

    private final String text;
    private final Op[] program;

    private Glob(String text, Op[] program) {
        this.text = text;
        this.program = program;
    }

    /** Compiles {@code glob}; throws {@link InvalidGlobException} saying what is wrong. */
    static Glob compile(String glob) {
        if (glob.isEmpty() || glob.length() > MAX_LENGTH) {
            throw new InvalidGlobException("glob must be a non-empty string of at most " + MAX_LENGTH + " characters");
        }
        return new Glob(glob, new Compiler(glob).compile());
    }

    String text() {
        return text;
    }

    /** Whether the whole of {@code name} matches; O(name length × glob size), never more. */
    boolean matches(String name) {
        int size = program.length;
        int[] current = new int[size];
        int[] next = new int[size];
        boolean[] seen = new boolean[size];
        int[] stack = new int[2 * size + 1]; // each state pushes at most two others, and is expanded once per step
        int count = addState(current, 0, seen, stack, 0);
        for (int i = 0; i < name.length() && count > 0; ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            Arrays.fill(seen, false);
            int nextCount = 0;
            for (int s = 0; s < count; s++) {
                Op op = program[current[s]];
                if (step(op, c)) {
                    nextCount = addState(next, nextCount, seen, stack, op.next());
                }
            }
            int[] swap = current;
            current = next;
            next = swap;
            count = nextCount;
        }
        for (int s = 0; s < count; s++) {
            if (program[current[s]].kind() == MATCH) {
                return true;
            }
        }
        return false;
    }

    private static boolean step(Op op, int c) {
        return switch (op.kind()) {
            case CHAR -> op.codePoint() == c;
            case ANY_IN_NAME -> c != '/';
            case ANY -> !isLineTerminator(c); // the JDK's "**" is regex ".*", which stops at line terminators
            case CLASS -> op.charClass().matches(c);
            default -> false;
        };
    }

    private static boolean isLineTerminator(int c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** Adds {@code pc} and every state reachable from it without input (iteratively: no deep recursion). */
    private int addState(int[] states, int count, boolean[] seen, int[] stack, int pc) {
        int top = 0;
        stack[top++] = pc;
        while (top > 0) {
            int at = stack[--top];
            if (seen[at]) {
                continue;
            }
            seen[at] = true;
            Op op = program[at];
            if (op.kind() == SPLIT) {
                stack[top++] = op.alt();
                stack[top++] = op.next();
            } else if (op.kind() == JUMP) {
                stack[top++] = op.next();
            } else {
                states[count++] = at;
            }
        }
        return count;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Glob text to NFA program, with the JDK's rules (sun.nio.fs.Globs) for what is valid. */
    private static final class Compiler {
        private final String glob;
        private final List<Op> ops = new ArrayList<>();
        private int pos;
        private int wildcards;

        Compiler(String glob) {
            this.glob = glob;
        }

        Op[] compile() {
            sequence(false);
            emit(MATCH, 0, -1, -1, null);
            return ops.toArray(Op[]::new);
        }

        /** Compiles up to the end (or, inside a group, up to the ',' or '}' that ends this alternative). */
        private void sequence(boolean inGroup) {
            while (pos < glob.length()) {
                int c = glob.codePointAt(pos);
                if (inGroup && (c == ',' || c == '}')) {
                    return;
                }
                pos += Character.charCount(c);
                switch (c) {
                    case '\\' -> {
                        if (pos >= glob.length()) {
                            throw invalid("No character to escape");
                        }
                        int escaped = glob.codePointAt(pos);
                        pos += Character.charCount(escaped);
                        literal(escaped);
                    }
                    case '[' -> {
                        countWildcard();
                        emit(CLASS, 0, ops.size() + 1, -1, charClass());
                    }
                    case '{' -> {
                        if (inGroup) {
                            throw invalid("Cannot nest groups");
                        }
                        group();
                    }
                    case '*' -> {
                        countWildcard();
                        boolean crossesFolders = pos < glob.length() && glob.charAt(pos) == '*';
                        if (crossesFolders) {
                            pos++;
                        }
                        int split = ops.size(); // one more character and back here, or go on
                        emit(SPLIT, 0, split + 1, split + 2, null);
                        emit(crossesFolders ? ANY : ANY_IN_NAME, 0, split, -1, null);
                    }
                    case '?' -> {
                        countWildcard();
                        emit(ANY_IN_NAME, 0, ops.size() + 1, -1, null);
                    }
                    default -> literal(c);
                }
            }
            if (inGroup) {
                throw invalid("Missing '}'");
            }
        }

        /** {@code {a,b,c}}: a chain of splits, one per alternative, each alternative jumping to the common end. */
        private void group() {
            List<Integer> jumpsToEnd = new ArrayList<>();
            boolean last = false;
            while (!last) {
                countWildcard();
                int split = ops.size();
                emit(SPLIT, 0, split + 1, -1, null);
                sequence(true); // returns at the ',' or '}' ending this alternative
                last = glob.charAt(pos++) == '}';
                jumpsToEnd.add(ops.size());
                emit(JUMP, 0, -1, -1, null);
                ops.set(split, new Op(SPLIT, 0, split + 1, ops.size(), null)); // else: the next alternative
            }
            emit(CHAR, -1, -1, -1, null); // after the last alternative: a dead end (no code point is -1)
            for (int jump : jumpsToEnd) {
                ops.set(jump, new Op(JUMP, 0, ops.size(), -1, null));
            }
        }

        private CharClass charClass() {
            boolean negated = false;
            List<int[]> ranges = new ArrayList<>();
            if (pos < glob.length() && glob.charAt(pos) == '^') {
                ranges.add(new int[] {'^', '^'}); // a literal for the JDK, and not the start of a range
                pos++;
            } else {
                if (pos < glob.length() && glob.charAt(pos) == '!') {
                    negated = true;
                    pos++;
                }
                if (pos < glob.length() && glob.charAt(pos) == '-') {
                    ranges.add(new int[] {'-', '-'});
                    pos++;
                }
            }
            boolean hasRangeStart = false;
            int last = 0;
            boolean closed = false;
            while (pos < glob.length()) {
                int c = glob.codePointAt(pos);
                pos += Character.charCount(c);
                if (c == ']') {
                    closed = true;
                    break;
                }
                if (c == '/') {
                    throw invalid("Explicit 'name separator' in class");
                }
                if (c == '-') {
                    if (!hasRangeStart) {
                        throw invalid("Invalid range");
                    }
                    if (pos >= glob.length()) {
                        break; // "[a-": missing ']'
                    }
                    int to = glob.codePointAt(pos);
                    pos += Character.charCount(to);
                    if (to == ']') {
                        ranges.add(new int[] {'-', '-'}); // "[a-]": 'a' or '-'
                        closed = true;
                        break;
                    }
                    if (to < last) {
                        throw invalid("Invalid range");
                    }
                    ranges.get(ranges.size() - 1)[1] = to;
                    hasRangeStart = false;
                } else {
                    ranges.add(new int[] {c, c});
                    hasRangeStart = true;
                    last = c;
                }
            }
            if (!closed) {
                throw invalid("Missing ']'");
            }
            int[] from = new int[ranges.size()];
            int[] to = new int[ranges.size()];
            for (int i = 0; i < from.length; i++) {
                from[i] = ranges.get(i)[0];
                to[i] = ranges.get(i)[1];
            }
            return new CharClass(negated, from, to);
        }

        private void literal(int c) {
            emit(CHAR, c, ops.size() + 1, -1, null);
        }

        private void countWildcard() {
            if (++wildcards > MAX_WILDCARDS) {
                throw new InvalidGlobException("glob has more than " + MAX_WILDCARDS
                        + " wildcards and alternatives (*, **, ?, [..], {..,..})");
            }
        }

        private void emit(int kind, int codePoint, int next, int alt, CharClass charClass) {
            ops.add(new Op(kind, codePoint, next, alt, charClass));
        }

        private InvalidGlobException invalid(String what) {
            return new InvalidGlobException(what + " at index " + Math.min(pos, glob.length() - 1) + " of the glob");
        }
    }
}
