package dev.switchboard.namespaces.deployments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.logs.LineAssembler;

/**
 * Follows one log file by polling ({@link #poll()} from one thread), losing no line across rotation:
 * <ul>
 * <li>rename rotation (logrotate create, PM2 reload): the open descriptor still reads the renamed file to its end,
 * then the new file at the path is opened from its start;</li>
 * <li>copy-then-truncate (pm2-logrotate): the file shrinks below the read position, or shrinks and regrows
 * past it before the next poll (caught by re-reading the bytes just before the position). The part not yet
 * read is then read from the newest rotated copy in the same folder ({@code <name>__*.log},
 * {@code <file>.N}, {@code <file>-*}), and the live file is read again from its start. A copy-truncate of a file
 * nothing was read of since the last one (position 0: its size tells nothing) is caught by the copy it leaves: a
 * rotated copy that appears while the position is 0 holds only unread bytes and is read whole.</li>
 * </ul>
 */
final class LogFileTailer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogFileTailer.class);
    private static final int CHUNK = 64 * 1024;
    private static final int CHECK_BYTES = 64;
    private static final long MAX_BYTES_PER_POLL = 8L << 20;

    private final Path path;
    private final LineAssembler assembler;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private final byte[] check = new byte[CHECK_BYTES];
    private int checkLength;
    /** Rotated copies whose bytes are accounted for (read, or older than what we follow). */
    private Set<String> knownCopies = Set.of();
    private FileTime folderSeen;

    /**
     * @param lines receives every complete line in order
     */
    LogFileTailer(Path path, int maxLineBytes, Consumer<String> lines) {
        this.path = path;
        this.assembler = new LineAssembler(maxLineBytes, lines);
    }

    /**
     * Opens the file (if it exists) and returns its last {@code tail} lines; following starts after them.
     * A missing file is fine: it is picked up when it appears.
     */
    List<String> open(int tail, int maxLineBytes) throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        openChannel();
        long size = channel.size();
        long budget = Math.min(size, (long) Math.max(1, tail) * Math.min(maxLineBytes, 4096) + 1);
        budget = Math.min(size, Math.max(budget, 256 * 1024));
        long start = size - budget;
        ByteBuffer all = ByteBuffer.allocate((int) budget);
        while (all.hasRemaining() && channel.read(all, start + all.position()) > 0) {
            // read fully
        }
        byte[] bytes = Arrays.copyOf(all.array(), all.position());
        // the last complete line ends at the last '\n'; a partial last line is followed live
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        position = start + end;
        List<String> backlog = new ArrayList<>();
        LineAssembler collect = new LineAssembler(maxLineBytes, backlog::add);
        int from = 0;
        if (start > 0) {
            // skip the first, probably partial, line
            while (from < end && bytes[from] != '\n') {
                from++;
            }
            from = Math.min(end, from + 1);
        }
        collect.accept(bytes, from, end - from);
        rememberCheck();
        return backlog.size() <= tail ? backlog : backlog.subList(backlog.size() - tail, backlog.size());
    }

    /** Reads what was appended since the last poll; handles rotation. */
    void poll() throws IOException {
        if (channel == null) {
            if (!Files.exists(path)) {
                return;
            }
            openChannel();
            position = 0;
            checkLength = 0;
        }
        if (position == 0 && checkLength == 0) {
            readCopyMadeBeforeAnyRead();
        }
        long size = channel.size();
        if (size < position || !checkStillMatches(size)) {
            readRotatedRemainder();
            position = 0;
            checkLength = 0;
            size = channel.size();
        }
        readUpTo(channel, size);
        Object currentKey = currentFileKey();
        if (!Objects.equals(currentKey, fileKey)) {
            // renamed away: drain what was written to it after our read, then move to the new file
            readUpTo(channel, channel.size());
            assembler.finish();
            channel.close();
            channel = null;
            if (currentKey != null) {
                openChannel();
                position = 0;
                checkLength = 0;
                readUpTo(channel, channel.size());
            }
        }
    }

    private void readUpTo(FileChannel source, long limit) throws IOException {
        long budget = MAX_BYTES_PER_POLL;
        while (position < limit && budget > 0) {
            buffer.clear();
            int want = (int) Math.min(buffer.capacity(), limit - position);
            buffer.limit(want);
            int n = source.read(buffer, position);
            if (n <= 0) {
                break;
            }
            assembler.accept(buffer.array(), 0, n);
            position += n;
            budget -= n;
        }
        if (source == channel) {
            rememberCheck();
        }
    }

    /** After a copy-then-truncate: the bytes between our position and the copy's end are in the copy. */
    private void readRotatedRemainder() throws IOException {
        Path copy = newestRotatedCopy();
        if (copy == null) {
            return;
        }
        try (FileChannel rotated = FileChannel.open(copy, StandardOpenOption.READ)) {
            long recovered = Math.max(0, rotated.size() - position);
            if (recovered > 0) {
                readUpTo(rotated, rotated.size());
            }
            log.info("log truncated, unread part taken from rotated copy file={} copy={} recoveredBytes={}",
                    path, copy.getFileName(), recovered);
        }
        assembler.finish();
        knownCopies = copyNames();
    }

    /**
     * While nothing of the live file has been read since it was opened or truncated, a rotated copy that was not
     * there before holds only bytes we have not read (a copy-truncate between two polls that found it empty).
     * The folder is listed only when its modification time changed.
     */
    private void readCopyMadeBeforeAnyRead() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        FileTime modified = Files.getLastModifiedTime(dir);
        if (modified.equals(folderSeen)) {
            return;
        }
        folderSeen = modified;
        Set<String> accounted = new HashSet<>(); // copies that exist now and are read or older than our reads
        for (Path copy : rotatedCopies()) {
            String name = copy.getFileName().toString();
            if (knownCopies.contains(name)) {
                accounted.add(name);
                continue;
            }
            try (FileChannel rotated = FileChannel.open(copy, StandardOpenOption.READ)) {
                if (liveFileStillStartsLike(rotated)) {
                    folderSeen = null; // copied but not truncated yet (a rotator mid-way): look again next poll
                    continue;
                }
                readUpTo(rotated, rotated.size());
                log.info("log rotated before any of it was read, taken from rotated copy file={} copy={} bytes={}",
                        path, name, rotated.size());
            }
            assembler.finish();
            position = 0;
            accounted.add(name);
        }
        knownCopies = Set.copyOf(accounted);
    }

    /** Whether the live file begins with the copy's first bytes (then the rotator has not truncated it yet). */
    private boolean liveFileStillStartsLike(FileChannel copy) throws IOException {
        int n = (int) Math.min(CHECK_BYTES, copy.size());
        if (n == 0 || channel.size() < n) {
            return false;
        }
        ByteBuffer a = ByteBuffer.allocate(n);
        ByteBuffer b = ByteBuffer.allocate(n);
        while (a.hasRemaining() && copy.read(a, a.position()) > 0) {
            // read fully
        }
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // read fully
        }
        return !a.hasRemaining() && !b.hasRemaining() && Arrays.equals(a.array(), b.array());
    }

    private Set<String> copyNames() throws IOException {
        return rotatedCopies().stream().map(c -> c.getFileName().toString()).collect(Collectors.toUnmodifiableSet());
    }

    /** The rotated copies of this file in its folder, oldest first (modification time, then name). */
    private List<Path> rotatedCopies() throws IOException {
        String file = path.getFileName().toString();
        String base = file.endsWith(".log") ? file.substring(0, file.length() - 4) : file;
        Path dir = path.toAbsolutePath().getParent();
        List<Path> copies = new ArrayList<>();
        Map<Path, Long> times = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path candidate : entries) {
                String name = candidate.getFileName().toString();
                if (name.equals(file) || name.endsWith(".gz")) {
                    continue;
                }
                if (!(name.startsWith(base + "__") || name.startsWith(file + ".") || name.startsWith(file + "-"))) {
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(candidate, BasicFileAttributes.class);
                if (attrs.isRegularFile()) {
                    copies.add(candidate);
                    times.put(candidate, attrs.lastModifiedTime().toMillis());
                }
            }
        }
        copies.sort(Comparator.<Path>comparingLong(times::get).thenComparing(c -> c.getFileName().toString()));
        return copies;
    }

    /**
     * The rotated copy holding what we read last: among copies at least as long as our position, newest first
     * (modification time, then name), the first whose bytes before our position match those we read. Two
     * rotations within one file-time tick give copies the same time; the match tells them apart.
     */
    private Path newestRotatedCopy() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (Path copy : rotatedCopies()) {
            if (Files.size(copy) >= position) {
                candidates.add(0, copy); // newest first
            }
        }
        for (Path candidate : candidates) {
            if (endsWithWhatWeRead(candidate)) {
                return candidate;
            }
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private boolean endsWithWhatWeRead(Path copy) throws IOException {
        if (checkLength == 0) {
            return true;
        }
        try (FileChannel rotated = FileChannel.open(copy, StandardOpenOption.READ)) {
            return holdsCheckBeforePosition(rotated);
        }
    }

    /** Whether the bytes right before our position are still those we read (else: truncated and regrown). */
    private boolean checkStillMatches(long size) throws IOException {
        if (checkLength == 0 || size < position) {
            return checkLength == 0 || size >= position;
        }
        return holdsCheckBeforePosition(channel);
    }

    /** Whether {@code source} has, right before our position, the bytes we last read there. */
    private boolean holdsCheckBeforePosition(FileChannel source) throws IOException {
        ByteBuffer now = ByteBuffer.allocate(checkLength);
        long from = position - checkLength;
        while (now.hasRemaining()) {
            if (source.read(now, from + now.position()) <= 0) {
                return false;
            }
        }
        return Arrays.equals(now.array(), 0, checkLength, check, 0, checkLength);
    }

    private void rememberCheck() throws IOException {
        int length = (int) Math.min(CHECK_BYTES, position);
        ByteBuffer bytes = ByteBuffer.wrap(check, 0, length);
        long from = position - length;
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, from + bytes.position()) <= 0) {
                break;
            }
        }
        checkLength = bytes.position();
    }

    private void openChannel() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        fileKey = currentFileKey();
        knownCopies = copyNames();
        folderSeen = Files.getLastModifiedTime(path.toAbsolutePath().getParent());
    }

    private Object currentFileKey() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
            channel = null;
        }
    }
}
